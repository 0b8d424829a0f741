import { TodoEventType } from '@todo/events';
import { DataSource } from 'typeorm';
import { causation, eventStoreSchema, todoCreated } from '../../../../test/support/event-store-fixture';
import { captureLogs } from '../../../../test/support/logs';
import { dropSchemas } from '../../../../test/support/postgres';
import { ConcurrencyError } from './concurrency.error';
import { EventAppender } from './event-appender';
import { AppendRequest, EventStore } from './event-store';

describe('EventAppender (group commit of appends) on PostgreSQL', () => {
  let schema: string;
  let dataSource: DataSource;
  let store: EventStore;

  beforeAll(async () => {
    ({ schema, dataSource, store } = await eventStoreSchema('appender', captureLogs('test').logger));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropSchemas(schema);
  });

  const create = (todoId: number): AppendRequest => ({
    streamId: `todo-${todoId}`,
    streamType: 'todo',
    expectedVersion: 0,
    events: [todoCreated(todoId)],
    causation: causation(`create-${todoId}`),
  });
  const complete = (todoId: number, expectedVersion: number, by: string): AppendRequest => ({
    streamId: `todo-${todoId}`,
    streamType: 'todo',
    expectedVersion,
    events: [
      {
        type: TodoEventType.Completed,
        version: 1,
        data: { todo_id: todoId, user_id: 1, title: `todo ${todoId}`, completed_at: new Date().toISOString() },
      },
    ],
    causation: causation(by),
  });
  /** The transaction that wrote each event (`xmin`), and its position. */
  const written = async (streams: string[]) =>
    (await dataSource.query(
      `SELECT aggregate_id, version, global_position::int AS position, xmin::text AS tx FROM events WHERE aggregate_id = ANY($1) ORDER BY global_position`,
      [streams],
    )) as { aggregate_id: string; version: number; position: number; tx: string }[];

  it('writes appends that arrive together in one transaction, at consecutive positions, each with its outbox entry', async () => {
    const appender = new EventAppender(dataSource, store, { maxBatch: 10 });
    const ids = Array.from({ length: 25 }, (_, i) => 1_000 + i);

    const results = await Promise.all(ids.map((id) => appender.append(create(id))));

    expect(results.map((events) => events[0].aggregate_id)).toEqual(ids.map((id) => `todo-${id}`));
    const rows = await written(ids.map((id) => `todo-${id}`));
    expect(rows).toHaveLength(25);
    // 25 appends, at most 10 per statement.
    expect(new Set(rows.map((r) => r.tx)).size).toBe(3);
    const positions = rows.map((r) => r.position);
    expect(positions).toEqual(Array.from({ length: 25 }, (_, i) => positions[0] + i));
    const outbox = await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE message_id = ANY($1)`, [
      results.map((events) => events[0].event_id),
    ]);
    expect(outbox[0].n).toBe(25);
  });

  it('gives a ConcurrencyError only to the append that lost the race; the rest of its batch is written', async () => {
    const appender = new EventAppender(dataSource, store);
    await appender.append(create(2_000));

    const outcomes = await Promise.allSettled([
      appender.append(create(2_001)),
      appender.append(complete(2_000, 1, 'first')),
      appender.append(complete(2_000, 1, 'second')),
      appender.append(create(2_002)),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    const rows = await written(['todo-2000', 'todo-2001', 'todo-2002']);
    expect(rows.map((r) => [r.aggregate_id, r.version])).toEqual([
      ['todo-2000', 1],
      ['todo-2001', 1],
      ['todo-2000', 2],
      ['todo-2002', 1],
    ]);
    const completedBy = await store.readStream(dataSource.manager, 'todo-2000');
    expect(completedBy[1].event.correlation_id).toBe('first');
  });
});
