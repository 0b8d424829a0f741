import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TodoCreated } from '@todo/events';
import { Delivery } from '@todo/messaging';
import { Correlation } from '@todo/observability';
import { captureLogs } from '../../../../test/support/logs';
import { TEST_DATABASE_URL, dropSchemas, testSchema } from '../../../../test/support/postgres';
import { createDataSource, migrate } from '@todo/database';
import { Inbox1764115200001 } from '../migrations/1764115200001-inbox';
import { Inbox, InboxScope } from './inbox';

const CONSUMER = 'inbox-int-spec';

function delivery(eventId = randomUUID(), todoId = 1): Delivery {
  const event: TodoCreated = {
    event_id: eventId,
    event_type: 'todo.created',
    event_version: 2,
    aggregate_id: `todo-${todoId}`,
    aggregate_type: 'todo',
    aggregate_version: 1,
    occurred_at: new Date().toISOString(),
    correlation_id: `corr-${eventId}`,
    causation_id: 'test',
    todo_id: todoId,
    user_id: 1,
    title: 'inbox',
    description: '',
    priority: 'medium',
  };
  return {
    consumer: CONSUMER,
    meta: { kind: 'event', id: eventId, type: event.event_type, key: event.aggregate_id, correlationId: event.correlation_id },
    message: event as unknown as Record<string, unknown>,
  };
}

describe('Inbox (PostgreSQL)', () => {
  const logs = captureLogs('inbox-int-spec');
  const schema = testSchema('inbox');
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = createDataSource({ url: TEST_DATABASE_URL, schema, migrations: [Inbox1764115200001], poolSize: 6 });
    await dataSource.initialize();
    await migrate(dataSource, schema, logs.logger);
    await dataSource.query(`CREATE TABLE effects (event_id TEXT NOT NULL, txid BIGINT NOT NULL, correlation_id TEXT)`);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await dropSchemas(schema);
  });

  /** The handler every test uses: one effect row, written in the inbox transaction, tagged with that transaction's id. */
  const recordEffect =
    (d: Delivery, after?: () => void) =>
    async ({ tx, afterCommit }: InboxScope): Promise<void> => {
      await tx.query(`INSERT INTO effects (event_id, txid, correlation_id) VALUES ($1, txid_current(), $2)`, [
        d.meta.id,
        Correlation.current()?.correlationId ?? null,
      ]);
      if (after) afterCommit(after);
    };

  /** Starts every delivery in the same turn of the event loop, each in its own correlation scope. */
  const processTogether = (inbox: Inbox, deliveries: Delivery[], handler = recordEffect) =>
    Promise.allSettled(
      deliveries.map((d) =>
        Correlation.run({ correlationId: d.meta.correlationId, causationId: d.meta.id }, () => inbox.process(d, handler(d))),
      ),
    );

  const effectsOf = async (deliveries: Delivery[]) =>
    (await dataSource.query(`SELECT event_id, txid, correlation_id FROM effects WHERE event_id = ANY($1)`, [
      deliveries.map((d) => d.meta.id),
    ])) as { event_id: string; txid: string; correlation_id: string }[];

  it('commits deliveries that arrive together in shared transactions, each effect once, in its own correlation scope', async () => {
    const inbox = new Inbox(dataSource, logs.logger, { maxBatch: 20, concurrency: 2 });
    const deliveries = Array.from({ length: 60 }, (_, i) => delivery(undefined, i));

    const outcomes = await processTogether(inbox, deliveries);

    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : o.reason))).toEqual(deliveries.map(() => 'processed'));
    const effects = await effectsOf(deliveries);
    expect(effects.map((e) => e.event_id).sort()).toEqual(deliveries.map((d) => d.meta.id).sort());
    // 60 deliveries, at most 20 per transaction.
    expect(new Set(effects.map((e) => e.txid)).size).toBe(3);
    for (const effect of effects) expect(effect.correlation_id).toBe(`corr-${effect.event_id}`);
    const inboxRows = await dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = $1 AND event_id = ANY($2)`, [
      CONSUMER,
      deliveries.map((d) => d.meta.id),
    ]);
    expect(inboxRows[0].n).toBe(60);
  });

  it('keeps a failing handler to its own delivery: the others commit once, their after-commit work runs, its does not', async () => {
    const inbox = new Inbox(dataSource, logs.logger, { maxBatch: 50, concurrency: 1 });
    const deliveries = Array.from({ length: 10 }, (_, i) => delivery(undefined, i));
    const poisoned = deliveries[4].meta.id;
    const afterCommit: string[] = [];
    const handler = (d: Delivery) => async (scope: InboxScope) => {
      await recordEffect(d, () => afterCommit.push(d.meta.id))(scope);
      if (d.meta.id === poisoned) throw new Error('handler failed');
    };

    const outcomes = await processTogether(inbox, deliveries, handler);

    expect(outcomes.map((o) => o.status)).toEqual(deliveries.map((d) => (d.meta.id === poisoned ? 'rejected' : 'fulfilled')));
    expect((outcomes[4] as PromiseRejectedResult).reason).toEqual(new Error('handler failed'));
    const effects = await effectsOf(deliveries);
    expect(effects.map((e) => e.event_id).sort()).toEqual(
      deliveries
        .map((d) => d.meta.id)
        .filter((id) => id !== poisoned)
        .sort(),
    );
    expect(afterCommit.sort()).toEqual(effects.map((e) => e.event_id).sort());
    const poisonedInbox = await dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [poisoned]);
    expect(poisonedInbox).toHaveLength(0);
  });

  it('gives twins in one batch and an event already processed one effect, reporting the rest as duplicates', async () => {
    const inbox = new Inbox(dataSource, logs.logger, { maxBatch: 50, concurrency: 1 });
    const earlier = delivery();
    await inbox.process(earlier, recordEffect(earlier));
    const twin = delivery();

    const outcomes = await processTogether(inbox, [twin, earlier, { ...twin }, delivery()]);

    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : o.reason))).toEqual([
      'processed',
      'duplicate',
      'duplicate',
      'processed',
    ]);
    expect(await effectsOf([twin])).toHaveLength(1);
    expect(await effectsOf([earlier])).toHaveLength(1);
  });

  it('commits each delivery alone when batching is turned off', async () => {
    const inbox = new Inbox(dataSource, logs.logger, { maxBatch: 1, concurrency: 2 });
    const deliveries = Array.from({ length: 8 }, (_, i) => delivery(undefined, i));

    await processTogether(inbox, deliveries);

    const effects = await effectsOf(deliveries);
    expect(effects).toHaveLength(8);
    expect(new Set(effects.map((e) => e.txid)).size).toBe(8);
  });
});
