import amqplib, { Channel, ChannelModel } from 'amqplib';
import { AmqpConnection, MessagePublisher, TODO_EVENTS_EXCHANGE, Topology, consumerQueue } from '@todo/messaging';
import { DataSource } from 'typeorm';
import { causation, eventStoreSchema, todoCreated } from '../../../../test/support/event-store-fixture';
import { CapturedLogs, captureLogs } from '../../../../test/support/logs';
import { TEST_DATABASE_URL, dropSchemas } from '../../../../test/support/postgres';
import { createTestVhost } from '../../../../test/support/rabbitmq';
import { startTcpProxy } from '../../../../test/support/tcp-proxy';
import { waitFor } from '../../../../test/support/wait-for';
import { EventStore } from '../store/event-store';
import { OutboxRelay } from './outbox-relay';

const PROBE = consumerQueue('relay-probe', ['#']);
const TOPOLOGY: Topology = { exchange: TODO_EVENTS_EXCHANGE, consumers: [PROBE] };

describe('OutboxRelay on PostgreSQL and RabbitMQ', () => {
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let schema: string;
  let dataSource: DataSource;
  let store: EventStore;
  let logs: CapturedLogs;
  let connection: AmqpConnection;
  let publisher: MessagePublisher;
  let probe: { connection: ChannelModel; channel: Channel; received: { body: Record<string, unknown>; persistent: boolean; messageId: string }[] };
  const relays: OutboxRelay[] = [];

  const newRelay = (pollIntervalMs = 60_000) => {
    const relay = new OutboxRelay({ databaseUrl: TEST_DATABASE_URL, schema, publisher, logger: logs.logger, pollIntervalMs });
    relays.push(relay);
    return relay;
  };
  const append = (todoId: number, version = 0) =>
    dataSource.transaction((tx) =>
      store.append(tx, {
        streamId: `todo-${todoId}`,
        streamType: 'todo',
        expectedVersion: version,
        events:
          version === 0
            ? [todoCreated(todoId)]
            : [{ type: 'todo.priority_changed', version: 1, data: { todo_id: todoId, user_id: 1, priority: version % 2 ? 'high' : 'low', previous_priority: 'medium' } }],
        causation: causation(`req-${todoId}-${version}`),
      }),
    );
  const receivedIds = () => probe.received.map((m) => m.body.event_id);
  const unsent = async () => (await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`))[0].n as number;

  beforeAll(async () => {
    logs = captureLogs('todo-service');
    vhost = await createTestVhost('relay');
    proxy = await startTcpProxy('127.0.0.1', 5672);
    ({ schema, dataSource, store } = await eventStoreSchema('relay', logs.logger));
    connection = new AmqpConnection({
      url: `amqp://guest:guest@127.0.0.1:${proxy.port}/${encodeURIComponent(vhost.vhost)}`,
      connectionName: 'relay-test',
      logger: logs.logger,
    });
    publisher = new MessagePublisher(connection, TOPOLOGY, logs.logger);
    await connection.waitUntilConnected();

    const probeConnection = await amqplib.connect(vhost.url);
    const channel = await probeConnection.createChannel();
    probe = { connection: probeConnection, channel, received: [] };
    await channel.assertExchange(TODO_EVENTS_EXCHANGE, 'topic', { durable: true });
    await channel.assertQueue(PROBE.queue, { durable: true, arguments: { 'x-dead-letter-exchange': PROBE.deadLetterExchange } });
    await channel.bindQueue(PROBE.queue, TODO_EVENTS_EXCHANGE, '#');
    await channel.consume(
      PROBE.queue,
      (msg) => {
        if (!msg) return;
        probe.received.push({
          body: JSON.parse(msg.content.toString()),
          persistent: msg.properties.deliveryMode === 2,
          messageId: msg.properties.messageId,
        });
      },
      { noAck: true },
    );
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await probe?.connection.close();
    await publisher?.close();
    await connection?.close();
    await proxy?.close();
    await dataSource?.destroy();
    await vhost?.dispose();
    await dropSchemas(schema);
  });

  it('publishes a committed event persistent, with its id, and marks it sent after the confirm — woken by NOTIFY, not by its 60 s poll', async () => {
    const relay = newRelay(60_000);
    relay.start();
    await relay.whenIdle();

    const [event] = await append(1);

    await waitFor('the event on the probe queue', () => receivedIds().includes(event.event_id), { timeoutMs: 5_000 });
    const message = probe.received.find((m) => m.body.event_id === event.event_id)!;
    expect(message).toMatchObject({ persistent: true, messageId: event.event_id, body: event });
    await waitFor('the entry to be marked sent', async () => (await unsent()) === 0);
  });

  it('never skips an entry that took a lower id but committed after a higher one', async () => {
    const relay = newRelay();
    relay.start();

    // Transaction A takes its outbox id first but stays open.
    const slow = dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    const [early] = await store.append(slow.manager, {
      streamId: 'todo-20',
      streamType: 'todo',
      expectedVersion: 0,
      events: [todoCreated(20)],
      causation: causation('slow'),
    });
    // Transaction B takes a higher id and commits first; the relay publishes it.
    const [late] = await append(21);
    await waitFor('the later-numbered event to be published', () => receivedIds().includes(late.event_id));

    const [{ id: earlyId }] = await slow.query(`SELECT id::int FROM outbox WHERE event_id = $1`, [early.event_id]);
    const [{ id: lateId }] = await dataSource.query(`SELECT id::int FROM outbox WHERE event_id = $1`, [late.event_id]);
    // A relay remembering "last id sent" would now only look above lateId — and never see earlyId.
    expect(earlyId).toBeLessThan(lateId);
    expect(receivedIds()).not.toContain(early.event_id);

    await slow.commitTransaction();
    await slow.release();
    await waitFor('the earlier-numbered, later-committed event to be published', () => receivedIds().includes(early.event_id));
    expect(await unsent()).toBe(0);
  });

  it('keeps entries while the broker is unreachable and publishes them once it is back', async () => {
    const relay = newRelay(200);
    relay.start();
    await relay.whenIdle();

    proxy.cut();
    await waitFor('the publisher to notice', () => !connection.isConnected());
    const appended = [...(await append(30)), ...(await append(31)), ...(await append(30, 1))];
    await waitFor('the relay to report the broker away', () => logs.find('Broker unavailable; outbox entries wait').length > 0);
    expect(await unsent()).toBe(3);
    expect(receivedIds().filter((id) => appended.some((e) => e.event_id === id))).toEqual([]);

    proxy.restore();
    await waitFor('every entry published after the broker returns', () => appended.every((e) => receivedIds().includes(e.event_id)), { timeoutMs: 15_000 });
    await waitFor('every entry marked sent', async () => (await unsent()) === 0);
    const ofTodo30 = probe.received.filter((m) => m.body.aggregate_id === 'todo-30').map((m) => m.body.event_type);
    expect(ofTodo30).toEqual(['todo.created', 'todo.priority_changed']);
  });

  it('runs one active relay per schema: a standby takes over when the leader stops, and each aggregate stays in version order', async () => {
    const first = newRelay(100);
    const second = newRelay(100);
    first.start();
    second.start();
    await waitFor('one relay to become active', () => logs.find('Outbox relay active').length >= 1);

    const before = probe.received.length;
    for (let version = 0; version < 5; version++) {
      await Promise.all([40, 41, 42, 43].map((todoId) => append(todoId, version)));
    }
    await waitFor('all 20 events', () => probe.received.length - before === 20);
    for (const todoId of [40, 41, 42, 43]) {
      const types = probe.received.filter((m) => m.body.aggregate_id === `todo-${todoId}`).map((m) => m.body.event_type);
      expect(types).toEqual(['todo.created', 'todo.priority_changed', 'todo.priority_changed', 'todo.priority_changed', 'todo.priority_changed']);
    }
    expect(new Set(receivedIds()).size).toBe(receivedIds().length);

    const activeBefore = logs.find('Outbox relay active').length;
    await first.stop();
    await second.stop();
    const third = newRelay(100);
    const fourth = newRelay(100);
    third.start();
    fourth.start();
    await waitFor('a relay to take over', () => logs.find('Outbox relay active').length > activeBefore);
    const [event] = await append(44);
    await waitFor('the next event published', () => receivedIds().includes(event.event_id));
  });
});
