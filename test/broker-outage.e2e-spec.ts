import amqplib from 'amqplib';
import { TODO_EVENTS_EXCHANGE } from '@todo/messaging';
import { Platform, startPlatform } from './support/platform';
import { queryIn } from './support/postgres';
import { startBroker, stopBroker } from './support/rabbitmq';
import { waitFor } from './support/wait-for';
import { ADMIN_TOKEN, api } from './support/auth';

/**
 * The seed's save-then-publish loses every event whose publish fails. Here RabbitMQ
 * is stopped while todos are being created: the API keeps answering, events wait in
 * the outbox, and once the broker is back every event takes effect in both
 * consumers exactly once.
 */
describe('RabbitMQ stops while todos are being created', () => {
  let platform: Platform;
  let brokerStopped = false;

  beforeAll(async () => {
    platform = await startPlatform('outage');
  });

  afterAll(async () => {
    if (brokerStopped) await startBroker();
    await platform?.stop();
  });

  const inboxCount = (schema: string) => queryIn<{ n: number }>(schema, `SELECT count(*)::int AS n FROM inbox`).then(([row]) => row.n);

  it('loses no event and applies each once; a duplicate delivery changes nothing', async () => {
    const http = api(platform.todo.getHttpServer());
    const statuses: number[] = [];
    let creating = true;
    const creator = (async () => {
      for (let i = 0; creating || i < 6; i++) {
        const res = await http.post('/todos').send({ title: `todo ${i}` });
        statuses.push(res.status);
      }
    })();

    await waitFor('some todos before the outage', () => statuses.length >= 3);
    await stopBroker();
    brokerStopped = true;
    const createdBeforeRestart = statuses.length;
    await waitFor('more todos created while the broker is down', () => statuses.length >= createdBeforeRestart + 5);
    const [{ unsent }] = await queryIn<{ unsent: number }>(
      platform.schemas.todo,
      `SELECT count(*)::int AS unsent FROM outbox WHERE sent_at IS NULL`,
    );
    expect(unsent).toBeGreaterThanOrEqual(5);

    await startBroker();
    brokerStopped = false;
    creating = false;
    await creator;
    expect(statuses.every((s) => s === 201)).toBe(true);
    const todos = statuses.length;

    // Every todo.created reached analytics and notification-service (which also got user.registered).
    await waitFor('the outbox to empty', async () => {
      const [{ n }] = await queryIn<{ n: number }>(platform.schemas.todo, `SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
      return n === 0;
    });
    await waitFor('analytics to apply every event', async () => (await inboxCount(platform.schemas.analytics)) === todos, {
      timeoutMs: 30_000,
    });
    await waitFor('notifications to apply every event', async () => (await inboxCount(platform.schemas.notification)) === todos + 1, {
      timeoutMs: 30_000,
    });
    await waitFor(
      'every creation mail to be sent',
      () => platform.smtp.mails.filter((m) => m.parsed.subject === 'Todo created').length >= todos,
      { timeoutMs: 30_000 },
    );

    const summary = await api(platform.analytics.getHttpServer(), ADMIN_TOKEN).get('/analytics/summary').expect(200);
    expect(summary.body.todos_created).toBe(todos);
    const [{ n: notified }] = await queryIn<{ n: number }>(platform.schemas.notification, `SELECT count(*)::int AS n FROM notifications`);
    expect(notified).toBe(todos);

    // Publish one stored event a second time, as a broker redelivery or a relay retry would.
    const [{ payload, event_id }] = await queryIn<{ payload: string; event_id: string }>(
      platform.schemas.todo,
      `SELECT payload::text AS payload, message_id AS event_id FROM outbox WHERE message_type = 'todo.created' ORDER BY id LIMIT 1`,
    );
    const connection = await amqplib.connect(platform.vhost.url);
    const channel = await connection.createConfirmChannel();
    channel.publish(TODO_EVENTS_EXCHANGE, 'todo.created', Buffer.from(payload), { persistent: true, messageId: event_id });
    await channel.waitForConfirms();
    await connection.close();

    for (const logs of [platform.logs.notification, platform.logs.analytics]) {
      await waitFor('the duplicate to be recognised', () =>
        logs.find('Event consumed').some((l) => l.event_id === event_id && l.duplicate === true),
      );
    }
    expect(await inboxCount(platform.schemas.analytics)).toBe(todos);
    expect((await api(platform.analytics.getHttpServer(), ADMIN_TOKEN).get('/analytics/summary')).body.todos_created).toBe(todos);
    const [{ n: notifiedAfter }] = await queryIn<{ n: number }>(
      platform.schemas.notification,
      `SELECT count(*)::int AS n FROM notifications`,
    );
    expect(notifiedAfter).toBe(todos);
    expect(platform.smtp.mails.filter((m) => m.parsed.subject === 'Todo created')).toHaveLength(todos);
  });
});
