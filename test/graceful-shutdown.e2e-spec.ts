import { runCommands } from './support/load';
import { Platform, startPlatform } from './support/platform';
import { queryIn } from './support/postgres';
import { queueDepths, rabbitmqctl } from './support/rabbitmq';
import { reconcile } from './support/reconcile';
import { waitFor } from './support/wait-for';
import { api } from './support/auth';

/** SIGTERM: stop taking work, finish and ack what is in flight, flush the outbox, close, exit — within a bound. */
describe('graceful shutdown on SIGTERM', () => {
  let platform: Platform | undefined;

  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
  });

  it('a consumer finishes and acks its in-flight messages, exits 0, and leaves nothing unacked', async () => {
    platform = await startPlatform('sigterm_consumer', { skip: ['analytics-service'] });
    const p = platform;
    const analytics = await p.spawn('analytics-service');
    const applied = async () => (await queryIn<{ n: number }>(p.schemas.analytics, 'SELECT count(*)::int AS n FROM inbox'))[0].n;
    const loading = runCommands(p.todo.getHttpServer(), { commands: 200 });
    await waitFor('analytics to be mid-stream', async () => (await applied()) >= 30);

    const signalledAt = Date.now();
    analytics.kill('SIGTERM');
    const exit = await analytics.exited;
    const seconds = (Date.now() - signalledAt) / 1000;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(seconds).toBeLessThan(10);
    const messages = analytics.logs.map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(['Shutting down', 'Stopped']));
    expect(messages).not.toContain('Closing with messages in flight; they will be redelivered');
    const consumers = JSON.parse(
      await rabbitmqctl('list_queues', '-q', '-p', p.vhost.vhost, 'name', 'messages_unacknowledged', 'consumers', '--formatter', 'json'),
    ) as {
      name: string;
      messages_unacknowledged: number;
      consumers: number;
    }[];
    expect(consumers.find((q) => q.name === 'analytics-service')).toMatchObject({ messages_unacknowledged: 0, consumers: 0 });

    const restarted = await p.spawn('analytics-service');
    await loading;
    await reconcile(p, { analyticsUrl: `http://127.0.0.1:${restarted.port}` });
  });

  it('todo-service answers the requests it accepted, publishes every committed event, and exits 0', async () => {
    platform = await startPlatform('sigterm_todo', { skip: ['todo-service'] });
    const p = platform;
    const todo = await p.spawn('todo-service');
    const url = `http://127.0.0.1:${todo.port}`;
    await runCommands(url, { commands: 30 });
    const createdCount = async () =>
      (await queryIn<{ n: number }>(p.schemas.todo, `SELECT count(*)::int AS n FROM events WHERE event_type = 'todo.created'`))[0].n;
    const before = await createdCount();

    const burst = Array.from({ length: 40 }, (_, i) =>
      api(url)
        .post('/todos')
        .send({ title: `in flight ${i}` })
        .then(
          (res) => res.status,
          () => 'refused' as const,
        ),
    );
    await waitFor('the burst to reach the service', async () => (await createdCount()) - before >= 10);
    todo.kill('SIGTERM');
    const statuses = await Promise.all(burst);
    const exit = await todo.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(statuses.every((s) => s === 201 || s === 'refused')).toBe(true);
    const [{ unsent }] = await queryIn<{ unsent: number }>(
      p.schemas.todo,
      'SELECT count(*)::int AS unsent FROM outbox WHERE sent_at IS NULL',
    );
    expect(unsent).toBe(0);
    // Every create the service committed was answered 201; the rest were refused before they began.
    expect((await createdCount()) - before).toBe(statuses.filter((s) => s === 201).length);
    expect(todo.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['Shutting down', 'Stopped']));

    // Its own view projection stopped with it; a new instance catches the views up.
    await p.spawn('todo-service');
    await reconcile(p);
    expect(Object.values(await queueDepths(p.vhost.vhost)).every((n) => n === 0)).toBe(true);
  });
});
