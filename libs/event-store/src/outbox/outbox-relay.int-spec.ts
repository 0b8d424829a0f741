import { randomUUID } from 'node:crypto';
import amqplib, { Channel, ChannelModel } from 'amqplib';
import { AmqpConnection, MessagePublisher, TODO_EVENTS_EXCHANGE, Topology, consumerQueue, defineTopology } from '@todo/messaging';
import { DataSource } from 'typeorm';
import { causation, eventStoreSchema, todoCreated } from '../../../../test/support/event-store-fixture';
import { CapturedLogs, captureLogs } from '../../../../test/support/logs';
import { TEST_DATABASE_URL, dropSchemas } from '../../../../test/support/postgres';
import { createTestVhost } from '../../../../test/support/rabbitmq';
import { startTcpProxy } from '../../../../test/support/tcp-proxy';
import { waitFor } from '../../../../test/support/wait-for';
import { EventStore } from '../store/event-store';
import { OutboxRelay } from './outbox-relay';
import { OutboxTable } from './outbox-table';

const PROBE = consumerQueue('relay-probe', ['#']);
/** The one consumer the `thing.do` command is addressed to. */
const COMMAND_TAKER = consumerQueue('relay-command-taker', [], { commands: ['thing.do'] });

/** A flat todo.created as it travels, for writing an outbox row by hand. */
function todoCreatedWire(todoId: number) {
  return {
    event_id: randomUUID(),
    event_type: 'todo.created',
    event_version: 2,
    aggregate_id: `todo-${todoId}`,
    aggregate_type: 'todo',
    aggregate_version: 1,
    occurred_at: new Date().toISOString(),
    correlation_id: 'slow',
    causation_id: 'slow',
    todo_id: todoId,
    user_id: 1,
    title: `todo ${todoId}`,
    description: '',
    priority: 'medium',
  };
}
const TOPOLOGY: Topology = defineTopology({ exchange: TODO_EVENTS_EXCHANGE, consumers: [PROBE, COMMAND_TAKER] });

describe('OutboxRelay on PostgreSQL and RabbitMQ', () => {
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let schema: string;
  let dataSource: DataSource;
  let store: EventStore;
  let logs: CapturedLogs;
  let connection: AmqpConnection;
  let publisher: MessagePublisher;
  let probe: {
    connection: ChannelModel;
    channel: Channel;
    received: { body: Record<string, unknown>; persistent: boolean; messageId: string }[];
  };
  const relays: OutboxRelay[] = [];

  const newRelay = (pollIntervalMs = 60_000, batchSize?: number) => {
    const relay = new OutboxRelay({
      databaseUrl: TEST_DATABASE_URL,
      schema,
      publisher,
      logger: logs.logger,
      pollIntervalMs,
      batchSize,
      topology: TOPOLOGY,
    });
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
            : [
                {
                  type: 'todo.priority_changed',
                  version: 1,
                  data: { todo_id: todoId, user_id: 1, priority: version % 2 ? 'high' : 'low', previous_priority: 'medium' },
                },
              ],
        causation: causation(`req-${todoId}-${version}`),
      }),
    );
  const receivedIds = () => probe.received.map((m) => m.body.event_id);
  const unsent = async () => (await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`))[0].n as number;

  beforeAll(async () => {
    logs = captureLogs('todo-service');
    vhost = await createTestVhost('relay', { topology: TOPOLOGY });
    proxy = await startTcpProxy('127.0.0.1', 5672);
    ({ schema, dataSource, store } = await eventStoreSchema('relay', logs.logger));
    connection = new AmqpConnection({
      urls: [`amqp://guest:guest@127.0.0.1:${proxy.port}/${encodeURIComponent(vhost.vhost)}`],
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

    // Transaction A takes its outbox id first but stays open. (It writes the outbox row
    // itself: the event store's append would hold the position lock and keep B waiting.)
    const slow = dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    const early = { ...todoCreatedWire(20) };
    await slow.query(`INSERT INTO outbox (message_id, aggregate_id, message_type, payload) VALUES ($1, 'todo-20', 'todo.created', $2)`, [
      early.event_id,
      JSON.stringify(early),
    ]);
    await slow.query(`SELECT pg_notify('outbox', '')`);
    // Transaction B takes a higher id and commits first; the relay publishes it.
    const [late] = await append(21);
    await waitFor('the later-numbered event to be published', () => receivedIds().includes(late.event_id));

    const [{ id: earlyId }] = await slow.query(`SELECT id::int FROM outbox WHERE message_id = $1`, [early.event_id]);
    const [{ id: lateId }] = await dataSource.query(`SELECT id::int FROM outbox WHERE message_id = $1`, [late.event_id]);
    // A relay remembering "last id sent" would now only look above lateId — and never see earlyId.
    expect(earlyId).toBeLessThan(lateId);
    expect(receivedIds()).not.toContain(early.event_id);

    await slow.commitTransaction().finally(() => slow.release());
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
    await waitFor('every entry published after the broker returns', () => appended.every((e) => receivedIds().includes(e.event_id)), {
      timeoutMs: 15_000,
    });
    await waitFor('every entry marked sent', async () => (await unsent()) === 0);
    const ofTodo30 = probe.received.filter((m) => m.body.aggregate_id === 'todo-30').map((m) => m.body.event_type);
    expect(ofTodo30).toEqual(['todo.created', 'todo.priority_changed']);
  });

  it('runs one active relay per schema: the standby takes over when the active one stops, and each aggregate stays in version order', async () => {
    const first = newRelay(100);
    const second = newRelay(100);
    first.start();
    second.start();
    await waitFor('one relay to become active', () => first.isActive !== second.isActive && (first.isActive || second.isActive));
    const [active, standby] = first.isActive ? [first, second] : [second, first];

    const before = probe.received.length;
    const appendAll = async (todoIds: number[]) => {
      for (let version = 0; version < 5; version++) await Promise.all(todoIds.map((todoId) => append(todoId, version)));
    };
    await appendAll([40, 41, 42, 43]);
    await waitFor('all 20 events', () => probe.received.length - before === 20);

    await active.stop();
    await waitFor('the standby to take over', () => standby.isActive);
    await appendAll([44, 45]);
    await waitFor('the next 10 events, through the standby', () => probe.received.length - before === 30);

    for (const todoId of [40, 41, 42, 43, 44, 45]) {
      const versions = probe.received.filter((m) => m.body.aggregate_id === `todo-${todoId}`).map((m) => m.body.aggregate_version);
      expect(versions).toEqual([1, 2, 3, 4, 5]);
    }
    expect(new Set(receivedIds()).size).toBe(receivedIds().length);
  });

  it('lets an entry the broker returns back off alone: other aggregates go on, later events of its aggregate wait behind it', async () => {
    const relay = newRelay(100);
    relay.start();
    await relay.whenIdle();
    // Sent as a command of a type no queue is bound to: the broker returns it.
    const stuck = await dataSource.transaction(async (tx) => {
      const [event] = await store.append(tx, {
        streamId: 'todo-50',
        streamType: 'todo',
        expectedVersion: 0,
        events: [todoCreated(50)],
        causation: causation('stuck'),
      });
      await tx.query(`UPDATE outbox SET message_kind = 'command' WHERE message_id = $1`, [event.event_id]);
      return event;
    });
    const attemptsOfStuck = async () =>
      (await dataSource.query(`SELECT attempts FROM outbox WHERE message_id = $1`, [stuck.event_id]))[0].attempts;
    await waitFor('the broker to return it once', async () => (await attemptsOfStuck()) >= 1);
    const [behind] = await append(50, 1);
    const [other] = await append(51);

    await waitFor('the other aggregate to go through', () => receivedIds().includes(other.event_id));
    await waitFor('the returned entry to be retried', async () => {
      const [row] = await dataSource.query(`SELECT attempts FROM outbox WHERE message_id = $1`, [stuck.event_id]);
      return row.attempts >= 2;
    });
    expect(logs.find('Message returned by broker').some((l) => l.message_id === stuck.event_id)).toBe(true);
    expect(receivedIds()).not.toContain(behind.event_id);

    await probe.channel.bindQueue(PROBE.queue, TOPOLOGY.commandExchange, 'todo.created');
    await waitFor(
      'both to go out once the route exists',
      () => receivedIds().includes(stuck.event_id) && receivedIds().includes(behind.event_id),
      {
        timeoutMs: 15_000,
      },
    );
    const order = probe.received.filter((m) => m.body.aggregate_id === 'todo-50').map((m) => m.body.aggregate_version);
    expect(order).toEqual([1, 2]);
    expect(await unsent()).toBe(0);
  });

  it('works through a backlog many batches long with the next batch in flight, each aggregate in version order, each event once', async () => {
    const todoIds = [60, 61, 62, 63];
    // Interleaved: every batch of 6 holds events of every aggregate, and the next version of each is in the next batch.
    for (let version = 0; version < 10; version++) await Promise.all(todoIds.map((todoId) => append(todoId, version)));
    const before = probe.received.length;
    const relay = newRelay(60_000, 6);

    relay.start();

    await waitFor('all 40 events', () => probe.received.length - before === 40, { timeoutMs: 15_000 });
    for (const todoId of todoIds) {
      const versions = probe.received.filter((m) => m.body.aggregate_id === `todo-${todoId}`).map((m) => m.body.aggregate_version);
      expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    expect(new Set(receivedIds()).size).toBe(receivedIds().length);
    await waitFor('every entry marked sent', async () => (await unsent()) === 0);
  });

  it('does not leave an entry of an aggregate that was in flight for the next poll', async () => {
    // Batches of 3: the first holds 70, 71 and 72; the next is selected while it is confirmed
    // and leaves out 72, so its second event waits behind it — and must go out without a poll.
    await append(70);
    await append(71);
    await append(72);
    const [later] = await append(72, 1);
    const [other] = await append(73);
    const relay = newRelay(60_000, 3);

    relay.start();

    await waitFor(
      'both to go out without waiting for the 60 s poll',
      () => receivedIds().includes(later.event_id) && receivedIds().includes(other.event_id),
      {
        timeoutMs: 10_000,
      },
    );
    await waitFor('every entry marked sent', async () => (await unsent()) === 0);
  });

  it('sends a command queued in a transaction to the one queue bound for its type, never to the event subscribers', async () => {
    const relay = newRelay(60_000);
    relay.start();
    await relay.whenIdle();
    const received = await probe.connection.createChannel();
    const command = {
      command_id: randomUUID(),
      command_type: 'thing.do',
      command_version: 1,
      target_id: 'thing-1',
      issued_at: new Date().toISOString(),
      correlation_id: 'req-command',
      causation_id: 'req-command',
    };
    await dataSource.transaction((tx) =>
      OutboxTable.enqueue(tx, [
        {
          messageId: command.command_id,
          kind: 'command',
          type: command.command_type,
          key: command.target_id,
          correlationId: command.correlation_id,
          causationId: command.causation_id,
          payload: command,
          traceContext: {},
        },
      ]),
    );
    const delivered = await waitFor('the command in its consumer queue', () => received.get(COMMAND_TAKER.queue, { noAck: true }));
    expect(JSON.parse(delivered.content.toString())).toEqual(command);
    expect(delivered.properties).toMatchObject({ messageId: command.command_id, type: 'thing.do', correlationId: 'req-command' });
    expect(delivered.properties.headers).toMatchObject({ 'x-command-type': 'thing.do', 'x-correlation-id': 'req-command' });
    expect(delivered.fields.exchange).toBe(TOPOLOGY.commandExchange);
    expect(receivedIds()).not.toContain(command.command_id);
    expect(probe.received.some((m) => m.messageId === command.command_id)).toBe(false);
    expect(logs.find('Command sent').some((l) => l.event_id === command.command_id)).toBe(true);
    await received.close();
  });
});
