import { AddressInfo } from 'node:net';
import { runCommands } from './support/load';
import { Platform, startPlatform } from './support/platform';
import { queryIn } from './support/postgres';
import { reconcile } from './support/reconcile';
import { runTsEntry } from './support/run-cli';
import { ADMIN_TOKEN, api } from './support/auth';

/** `<service> rebuild <read-model>`: from scratch, from the events, while the service serves. */
describe('rebuilding read models from the event stream', () => {
  let platform: Platform;
  let todoUrl: string;

  // As the service itself (its own database role); reading todo-service's whole stream takes an admin's token.
  const env = (service: 'todo' | 'notification' | 'analytics') => ({
    ...platform.env[`${service}-service`],
    TODO_SERVICE_URL: todoUrl,
    REBUILD_ACCESS_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'info',
  });
  const rebuild = async (service: 'todo' | 'notification' | 'analytics', readModel: string) => {
    const result = await runTsEntry(`apps/${service}-service/src/main.ts`, ['rebuild', readModel], env(service));
    if (result.code !== 0) throw new Error(`rebuild ${readModel} failed: ${result.stderr}`);
    return result.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  };
  const snapshot = async () => ({
    todos: await queryIn(platform.schemas.todo, 'SELECT * FROM todos ORDER BY id'),
    facts: await queryIn(platform.schemas.analytics, 'SELECT * FROM todo_facts ORDER BY todo_id'),
    changes: await queryIn(platform.schemas.analytics, 'SELECT * FROM todo_changes ORDER BY todo_id, aggregate_version'),
    recipients: await queryIn(platform.schemas.notification, 'SELECT * FROM recipients ORDER BY user_id'),
  });

  beforeAll(async () => {
    platform = await startPlatform('rebuild');
    const server = platform.todo.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    todoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('rebuilds every read model into exactly what the consumers built incrementally, without sending mail again', async () => {
    const http = api(todoUrl);
    await http.post('/users').send({ email: 'linus@example.com', name: 'Linus', password: 'a long enough password' }).expect(201);
    await runCommands(todoUrl, { commands: 120 });
    const { body } = await http.post('/todos').send({ title: 'to be reopened and deleted' }).expect(201);
    await http.put(`/todos/${body.id}/complete`).expect(200);
    await http.put(`/todos/${body.id}/reopen`).expect(200);
    await http.delete(`/todos/${body.id}`).expect(200);
    await reconcile(platform);
    const incremental = await snapshot();
    const mailsBefore = platform.smtp.mails.length;

    const progress = await rebuild('todo', 'todo-views');
    await rebuild('analytics', 'analytics');
    await rebuild('notification', 'notification-recipients');

    const reports = progress.filter((l) => l.msg === 'Rebuild progress');
    expect(reports.length).toBeGreaterThan(0);
    // Position against the head of the stream, the share done, the rate and what is left.
    expect(reports.at(-1)).toMatchObject({
      read_model: 'todo-views',
      percent: 100,
      eta_seconds: 0,
      events_per_second: expect.any(Number),
      position: expect.any(Number),
    });
    expect(reports.at(-1)!.head_position).toBe(reports.at(-1)!.position);
    expect(progress.find((l) => l.msg === 'Rebuild done')).toMatchObject({ readModel: 'todo-views', events: expect.any(Number) });
    expect(await snapshot()).toEqual(incremental);
    expect(platform.smtp.mails.length).toBe(mailsBefore);
  });

  it('rebuilds while commands keep coming, and the views still match the event store afterwards', async () => {
    const [{ head }] = await queryIn<{ head: number }>(
      platform.schemas.todo,
      'SELECT coalesce(max(global_position), 0)::int AS head FROM events',
    );
    let rebuilding = true;
    const statuses: string[] = [];
    const traffic = (async () => {
      while (rebuilding) {
        const load = await runCommands(todoUrl, { commands: 20, concurrency: 4 });
        statuses.push(...Object.keys(load.statuses));
      }
    })();
    const [todoViews, analytics] = await Promise.all([rebuild('todo', 'todo-views'), rebuild('analytics', 'analytics')]);
    rebuilding = false;
    await traffic;

    // Both rebuilds read events that were committed while they ran: the catch-up really had work.
    for (const lines of [todoViews, analytics]) {
      const done = lines.find((l) => l.msg === 'Rebuild done');
      expect(Number(done?.lastPosition)).toBeGreaterThan(head);
    }
    expect(statuses.filter((s) => !['200', '201', '409'].includes(s))).toEqual([]);
    await reconcile(platform);
  });

  it('keeps index and constraint names through repeated rebuilds', async () => {
    const names = () =>
      queryIn<{ indexname: string }>(
        platform.schemas.todo,
        `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'todos' ORDER BY 1`,
      );
    const before = await names();
    await rebuild('todo', 'todo-views');
    await rebuild('todo', 'todo-views');
    expect(await names()).toEqual(before);
    expect(before.map((r) => r.indexname)).toEqual(expect.arrayContaining(['todos_pkey', 'idx_todos_user_id']));
  });

  it('names the read models it knows when asked for another', async () => {
    const result = await runTsEntry('apps/analytics-service/src/main.ts', ['rebuild', 'everything'], env('analytics'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown read model "everything"; this service has: analytics');
  });
});
