import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import amqplib from 'amqplib';
import { TODO_EVENTS_EXCHANGE } from '@todo/messaging';
import { Platform, startPlatform } from './support/platform';
import { TEST_DATABASE_URL, queryIn } from './support/postgres';
import { runTsEntry } from './support/run-cli';
import { waitFor } from './support/wait-for';
import { api } from './support/auth';

/**
 * todo.created v1 (no description) still lives in old streams and may still arrive on
 * the bus. Written straight into the store and onto the exchange, it must reach every
 * reader as v2 — the aggregate, the projections, the consumers and a rebuild alike.
 */
describe('old event versions, from the store and from the bus', () => {
  let platform: Platform;
  let todoUrl: string;

  beforeAll(async () => {
    platform = await startPlatform('versions');
    const server = platform.todo.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    todoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const v1Created = (todoId: number) => ({
    event_id: randomUUID(),
    event_type: 'todo.created',
    event_version: 1,
    aggregate_id: `todo-${todoId}`,
    aggregate_type: 'todo',
    aggregate_version: 1,
    occurred_at: new Date().toISOString(),
    correlation_id: `v1-${todoId}`,
    causation_id: `v1-${todoId}`,
    todo_id: todoId,
    user_id: 1,
    title: `written as v1 (${todoId})`,
    priority: 'high',
  });

  it('folds a v1 event from the store into the aggregate and the views, and publishes it for every consumer', async () => {
    const event = v1Created(9001);
    const { event_id, event_type, event_version, aggregate_id, aggregate_type, occurred_at, correlation_id, causation_id, ...data } = event;
    // As an old version of the service would have written it: event row, outbox row, position.
    await queryIn(
      platform.schemas.todo,
      `WITH pos AS (UPDATE event_positions SET last = last + 1 WHERE id = 1 RETURNING last),
            ev AS (INSERT INTO events (event_id, event_type, event_version, aggregate_id, aggregate_type, event_data, metadata, timestamp, version, global_position)
                   SELECT $1, $2, $3, $4, $5, $6, $7, $8, 1, last FROM pos RETURNING 1)
       INSERT INTO outbox (message_id, aggregate_id, message_type, correlation_id, causation_id, payload)
       SELECT $1, $4, $2, $9, $10, $11 FROM ev`,
      [
        event_id,
        event_type,
        event_version,
        aggregate_id,
        aggregate_type,
        JSON.stringify(data),
        JSON.stringify({ correlation_id, causation_id }),
        occurred_at,
        correlation_id,
        causation_id,
        JSON.stringify(event),
      ],
    );
    await queryIn(platform.schemas.todo, `SELECT pg_notify('outbox', '')`);

    const stream = await api(todoUrl).get('/todos/9001/events').expect(200);
    expect(stream.body[0].event).toMatchObject({ event_version: 2, description: '', title: 'written as v1 (9001)' });

    // The aggregate rebuilt from the upcast event accepts a command on it.
    const completed = await api(todoUrl).put('/todos/9001/complete').expect(200);
    expect(completed.body).toMatchObject({ description: '', status: 'completed', version: 2 });

    const view = await api(todoUrl).get('/todos/9001?min_version=2').expect(200);
    expect(view.body).toMatchObject({ title: 'written as v1 (9001)', description: '', priority: 'high', status: 'completed' });
    await waitFor('the creation mail for the v1 todo', () =>
      platform.smtp.mails.some((m) => m.parsed.text?.includes('written as v1 (9001)')),
    );
  });

  it('handles a v1 event arriving on the bus in every consumer', async () => {
    const event = v1Created(9002);
    const connection = await amqplib.connect(platform.vhost.url);
    const channel = await connection.createConfirmChannel();
    channel.publish(TODO_EVENTS_EXCHANGE, 'todo.created', Buffer.from(JSON.stringify(event)), {
      persistent: true,
      messageId: event.event_id,
    });
    await channel.waitForConfirms();
    await connection.close();

    for (const schema of [platform.schemas.todo, platform.schemas.analytics, platform.schemas.notification]) {
      await waitFor(
        `${schema} to apply the v1 event`,
        async () => (await queryIn(schema, 'SELECT 1 FROM inbox WHERE event_id = $1', [event.event_id])).length === 1,
      );
    }
    const [view] = await queryIn(platform.schemas.todo, 'SELECT title, description FROM todos WHERE id = 9002');
    expect(view).toEqual({ title: 'written as v1 (9002)', description: '' });
    const [fact] = await queryIn(platform.schemas.analytics, 'SELECT priority FROM todo_facts WHERE todo_id = 9002');
    expect(fact).toEqual({ priority: 'high' });
  });

  it('rebuilds views that contain v1 events into the same rows', async () => {
    const before = await queryIn(platform.schemas.todo, 'SELECT * FROM todos ORDER BY id');
    const result = await runTsEntry('apps/todo-service/src/main.ts', ['rebuild', 'todo-views'], {
      DATABASE_URL: TEST_DATABASE_URL,
      DB_SCHEMA: platform.schemas.todo,
      AMQP_URL: platform.vhost.url,
    });
    expect(result.code).toBe(0);
    const rebuilt = await queryIn(platform.schemas.todo, 'SELECT * FROM todos ORDER BY id');
    // 9002 came only through the bus (it is not in the store), so the store-based rebuild does not have it.
    expect(rebuilt).toEqual(before.filter((row) => row.id !== 9002));
    expect(rebuilt.find((row) => row.id === 9001)).toMatchObject({ description: '', status: 'completed' });
  });
});
