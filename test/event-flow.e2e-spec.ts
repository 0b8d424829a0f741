import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import { TodoCreated } from '@todo/events';
import { ANALYTICS_QUEUE, Headers, NOTIFICATION_QUEUE, TODO_EVENTS_EXCHANGE } from '@todo/messaging';
import { DEMO_EMAIL, Platform, startPlatform } from './support/platform';
import { queryIn } from './support/postgres';
import { queueDepth, queueDepths, waitUntilAllQueuesEmpty } from './support/rabbitmq';
import { waitFor } from './support/wait-for';
import request from 'supertest';
import { ADMIN_TOKEN, DEMO_PASSWORD, api } from './support/auth';
import { firstRequest } from '../scripts/first-request';

describe("the seed's event flow, end to end", () => {
  let platform: Platform;
  const http = () => api(platform.todo.getHttpServer());

  beforeAll(async () => {
    platform = await startPlatform('flow');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('creates and completes a todo: the owner is mailed, analytics counts it, the store holds both events', async () => {
    const created = await http()
      .post('/todos')
      .set('X-Request-Id', 'seed-create-1')
      .send({ title: '测试事件驱动', description: '学习EDA' })
      .expect(201);
    expect(created.headers['x-request-id']).toBe('seed-create-1');
    expect(created.body).toMatchObject({ id: 1, user_id: 1, title: '测试事件驱动', description: '学习EDA', status: 'open', version: 1 });

    const completed = await http().put('/todos/1/complete').set('X-Request-Id', 'seed-complete-1').expect(200);
    expect(completed.body).toMatchObject({ id: 1, status: 'completed', version: 2 });

    const mail = await waitFor('the completion mail', () => platform.smtp.mails.find((m) => m.parsed.subject === 'Todo Completed'));
    expect(mail.envelopeTo).toEqual([DEMO_EMAIL]);
    expect(mail.parsed.text?.trim()).toBe("Your todo '测试事件驱动' has been completed!");
    expect(mail.parsed.headers.get('x-correlation-id')).toBe('seed-complete-1');

    const summary = await waitFor('analytics to count the completion', async () => {
      const res = await api(platform.analytics.getHttpServer(), ADMIN_TOKEN).get('/analytics/summary').expect(200);
      return res.body.todos_completed === 1 && res.body;
    });
    expect(summary).toMatchObject({ todos_created: 1, todos_completed: 1, completion_rate: 1, by_priority: { medium: 1 } });
    expect(summary.mean_time_to_complete_seconds).toBeGreaterThanOrEqual(0);

    const stored = await queryIn<{ event_type: string; version: number; correlation_id: string }>(
      platform.schemas.todo,
      `SELECT event_type, version, metadata->>'correlation_id' AS correlation_id FROM events WHERE aggregate_id = 'todo-1' ORDER BY version`,
    );
    expect(stored).toEqual([
      { event_type: 'todo.created', version: 1, correlation_id: 'seed-create-1' },
      { event_type: 'todo.completed', version: 2, correlation_id: 'seed-complete-1' },
    ]);

    const stream = await http().get('/todos/1/events').expect(200);
    expect(stream.body.map((e: { event: { event_type: string } }) => e.event.event_type)).toEqual(['todo.created', 'todo.completed']);
    expect(stream.body[1].event).toMatchObject({
      todo_id: 1,
      user_id: 1,
      title: '测试事件驱动',
      correlation_id: 'seed-complete-1',
      causation_id: 'seed-complete-1',
    });

    // Work, retry and dead-letter queues alike: nothing ready, nothing in flight.
    await waitUntilAllQueuesEmpty(platform.vhost.vhost);
    const depths = await queueDepths(platform.vhost.vhost);
    for (const queue of [NOTIFICATION_QUEUE, ANALYTICS_QUEUE]) expect(depths[queue.deadLetterQueue]).toBe(0);
  });

  it("logs the seed's two lines: Event published and Event consumed, with the flow's correlation id", async () => {
    await http().post('/todos').set('X-Request-Id', 'logged-flow').send({ title: 'watch the logs' }).expect(201);
    const published = await waitFor('the publish log line', () =>
      platform.logs.todo.find('Event published').find((l) => l.correlation_id === 'logged-flow'),
    );
    expect(published).toMatchObject({ event_type: 'todo.created', aggregate_id: expect.stringMatching(/^todo-\d+$/) });
    expect(published.event_id).toEqual(expect.any(String));

    for (const logs of [platform.logs.notification, platform.logs.analytics]) {
      const consumed = await waitFor('the consume log line', () =>
        logs.find('Event consumed').find((l) => l.event_id === published.event_id),
      );
      expect(consumed).toMatchObject({ event_type: 'todo.created', correlation_id: 'logged-flow', handler: expect.any(String) });
      expect(consumed.processing_time_ms).toEqual(expect.any(Number));
    }
  });

  it('mails a registered user about their own todo, learning the address only from user.registered', async () => {
    const server = platform.todo.getHttpServer();
    const user = await request(server)
      .post('/users')
      .send({ email: 'Ada@Example.com', name: 'Ada', password: 'difference engine' })
      .expect(201);
    expect(user.body).toEqual({ id: expect.any(Number), email: 'ada@example.com', name: 'Ada' });
    const signedIn = await request(server)
      .post('/auth/token')
      .send({ email: 'ada@example.com', password: 'difference engine' })
      .expect(200);
    const todo = await api(server, signedIn.body.access_token)
      .post('/todos')
      .send({ title: 'analytical engine', priority: 'high' })
      .expect(201);
    expect(todo.body.user_id).toBe(user.body.id);

    const notice = await waitFor('the creation notice', () =>
      platform.smtp.mails.find((m) => m.parsed.subject === 'Todo created' && m.envelopeTo.includes('ada@example.com')),
    );
    expect(notice.parsed.text?.trim()).toBe("Your todo 'analytical engine' has been created.");

    const listed = await waitFor('GET /notifications to show it sent', async () => {
      const res = await api(platform.notification.getHttpServer(), signedIn.body.access_token).get('/notifications').expect(200);
      return res.body.find((n: { recipient: string; status: string }) => n.recipient === 'ada@example.com' && n.status === 'sent');
    });
    expect(listed).toMatchObject({ subject: 'Todo created', user_id: user.body.id, event_type: 'todo.created' });

    const summary = await waitFor('analytics to see the user', async () => {
      const res = await api(platform.analytics.getHttpServer(), ADMIN_TOKEN).get('/analytics/summary').expect(200);
      return res.body.by_user.find((u: { user_id: number }) => u.user_id === user.body.id);
    });
    expect(summary).toEqual({ user_id: user.body.id, todos_created: 1, todos_completed: 0, completion_rate: 0 });
    expect(todo.body.priority).toBe('high');
  });

  it('retries a todo of a user notification-service never learnt about, then dead-letters it with the reason; mails nobody', async () => {
    const event: TodoCreated = {
      event_id: randomUUID(),
      event_type: 'todo.created',
      event_version: 2,
      aggregate_id: 'todo-424242',
      aggregate_type: 'todo',
      aggregate_version: 1,
      occurred_at: new Date().toISOString(),
      correlation_id: 'unknown-recipient',
      causation_id: 'unknown-recipient',
      todo_id: 424242,
      user_id: 4242,
      title: 'for nobody',
      description: '',
      priority: 'low',
    };
    const dlq = NOTIFICATION_QUEUE.deadLetterQueue;
    const connection = await amqplib.connect(platform.vhost.url);
    try {
      const channel = await connection.createConfirmChannel();
      channel.publish(TODO_EVENTS_EXCHANGE, event.event_type, Buffer.from(JSON.stringify(event)), {
        persistent: true,
        messageId: event.event_id,
      });
      await channel.waitForConfirms();

      await waitFor('the event in the notification dead-letter queue', async () => (await queueDepth(platform.vhost.url, dlq)) > 0, {
        timeoutMs: 20_000,
      });
      const dead = await channel.get(dlq, { noAck: true });
      expect(dead && dead.properties.messageId).toBe(event.event_id);
      expect(dead && dead.properties.headers?.[Headers.DeadLetterReason]).toBe('no address known for user 4242');
      expect(dead && dead.properties.headers?.[Headers.Attempt]).toBe(4);
    } finally {
      await connection.close();
    }
    const rows = await queryIn(platform.schemas.notification, `SELECT count(*)::int AS n FROM notifications WHERE event_id = $1`, [
      event.event_id,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it("creates a todo with npm start's Try: line, run as start-all prints it through a real shell", async () => {
    const server = platform.todo.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const line = firstRequest({ apiUrl, email: DEMO_EMAIL, password: DEMO_PASSWORD });

    const { stdout } = await promisify(execFile)('/bin/sh', ['-c', line], { timeout: 30_000 });

    expect(stdout).toMatch(/^HTTP\/1\.1 201 Created\r?$/m);
    const body = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(body).toMatchObject({ user_id: 1, title: 'hello', status: 'open', version: 1 });
  });
});
