import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Global, INestApplication, Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import amqplib, { Channel, ChannelModel, ConfirmChannel, GetMessage } from 'amqplib';
import { DataSource, EntityManager } from 'typeorm';
import { Inbox, Inbox1764115200001, InboxContext } from '@todo/event-store';
import { createDataSource, migrate } from '@todo/database';
import { TodoCompleted, TodoCreated } from '@todo/events';
import { LOGGER, Logger, PinoNestLogger } from '@todo/observability';
import { captureLogs } from '../../../../test/support/logs';
import { TEST_DATABASE_URL, dropSchemas, queryIn, testSchema } from '../../../../test/support/postgres';
import { createTestVhost, queueDepth, rabbitmqctl } from '../../../../test/support/rabbitmq';
import { startTcpProxy } from '../../../../test/support/tcp-proxy';
import { waitFor } from '../../../../test/support/wait-for';
import { AmqpConnection } from '../connection/amqp-connection';
import { Headers } from '../headers';
import { declareTopology } from '../topology/declare-topology';
import { TODO_EVENTS_EXCHANGE, Topology, consumerQueue, defineTopology } from '../topology/platform-topology';
import { MessageProcessing } from './message-processing';
import { MessagingConventions } from '../telemetry/messaging-conventions';
import { ConsumerModule } from './nest/consumer.module';
import { OnEvent } from './nest/on-message.decorator';
import { PermanentMessageError } from './permanent-message.error';

// ---------------------------------------------------------------------------
// Topology under test: one consumer with short, broker-held retry delays.
// ---------------------------------------------------------------------------

const CONSUMER = consumerQueue('test-consumer', ['todo.#'], { retryDelaysMs: [100, 200, 300] });
const TOPOLOGY: Topology = defineTopology({ exchange: TODO_EVENTS_EXCHANGE, consumers: [CONSUMER] });
const PREFETCH = 10;

// ---------------------------------------------------------------------------
// Event builders (flat wire events, as the platform publishes them).
// ---------------------------------------------------------------------------

let nextTodoId = 1;

function envelope(type: string, todoId: number) {
  return {
    event_id: randomUUID(),
    event_type: type,
    event_version: 1,
    aggregate_id: `todo-${todoId}`,
    aggregate_type: 'todo',
    aggregate_version: 1,
    occurred_at: new Date().toISOString(),
    correlation_id: `corr-${randomUUID()}`,
    causation_id: `cause-${randomUUID()}`,
  };
}

function todoCreated(todoId = nextTodoId++, overrides: Record<string, unknown> = {}): TodoCreated {
  return {
    ...envelope('todo.created', todoId),
    todo_id: todoId,
    user_id: 1,
    title: `Todo ${todoId}`,
    description: '',
    priority: 'medium',
    ...overrides,
  } as TodoCreated;
}

function todoCompleted(todoId = nextTodoId++): TodoCompleted {
  return {
    ...envelope('todo.completed', todoId),
    todo_id: todoId,
    user_id: 1,
    title: `Todo ${todoId}`,
    completed_at: new Date().toISOString(),
  } as TodoCompleted;
}

// ---------------------------------------------------------------------------
// The test handlers and the knobs the tests turn.
// ---------------------------------------------------------------------------

type Plan = 'fail-twice' | 'permanent' | 'always-fail' | 'hold';

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Steers the handlers per event id, and records what they saw. */
class Steering {
  readonly plans = new Map<string, Plan>();
  /** Extra time a handler takes for an event, in ms (the handler's behaviour, not a test wait). */
  readonly delays = new Map<string, number>();
  /** event_id -> attempts seen through RabbitContext.getAttempt(). */
  readonly attempts = new Map<string, number[]>();
  /** For 'hold': entered resolves once the handler runs, release lets it finish. */
  readonly holds = new Map<string, { entered: Deferred; release: Deferred }>();
  /** Handler completions in order, with the event ids. */
  readonly timeline: { event_id: string; attempt: number; outcome: 'ok' | 'failed' }[] = [];
  running = 0;
  maxRunning = 0;

  hold(eventId: string) {
    const hold = { entered: deferred(), release: deferred() };
    this.plans.set(eventId, 'hold');
    this.holds.set(eventId, hold);
    return hold;
  }

  attemptsOf(eventId: string): number[] {
    return this.attempts.get(eventId) ?? [];
  }

  async handle(event: TodoCreated | TodoCompleted, attempt: number, tx: EntityManager): Promise<void> {
    this.attempts.set(event.event_id, [...this.attemptsOf(event.event_id), attempt]);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      await this.behave(event, attempt);
      await tx.query(`INSERT INTO effects (event_id, todo_id, aggregate_id, event_type, attempt) VALUES ($1, $2, $3, $4, $5)`, [
        event.event_id,
        event.todo_id,
        event.aggregate_id,
        event.event_type,
        attempt,
      ]);
      this.timeline.push({ event_id: event.event_id, attempt, outcome: 'ok' });
    } catch (error) {
      this.timeline.push({ event_id: event.event_id, attempt, outcome: 'failed' });
      throw error;
    } finally {
      this.running--;
    }
  }

  private async behave(event: TodoCreated | TodoCompleted, attempt: number): Promise<void> {
    const delay = this.delays.get(event.event_id);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    switch (this.plans.get(event.event_id)) {
      case 'permanent':
        throw new PermanentMessageError('TODO_REJECTED', `todo ${event.todo_id} cannot be accepted`);
      case 'always-fail':
        throw new Error(`projection store unavailable for todo ${event.todo_id}`);
      case 'fail-twice':
        if (attempt <= 2) throw new Error(`transient failure on attempt ${attempt}`);
        return;
      case 'hold': {
        const hold = this.holds.get(event.event_id)!;
        hold.entered.resolve();
        await hold.release.promise;
        return;
      }
      default:
        return;
    }
  }
}

const steering = new Steering();
const STEERING = Symbol('STEERING');

@Injectable()
class TestTodoHandlers {
  constructor(@Inject(STEERING) private readonly steering: Steering) {}

  @OnEvent('todo.created')
  async onCreated(event: TodoCreated, { attempt, tx }: InboxContext): Promise<void> {
    await this.steering.handle(event, attempt, tx);
  }

  @OnEvent('todo.completed')
  async onCompleted(event: TodoCompleted, { attempt, tx }: InboxContext): Promise<void> {
    await this.steering.handle(event, attempt, tx);
  }
}

/** What the consumer needs from the rest of a service: the connection, the inbox, the logger. */
function consumerTestModule(connection: AmqpConnection, inbox: Inbox, logger: Logger) {
  @Global()
  @Module({
    providers: [
      { provide: AmqpConnection, useValue: connection },
      { provide: MessageProcessing, useValue: inbox },
      { provide: LOGGER, useValue: logger },
      { provide: MessagingConventions, useValue: new MessagingConventions() },
    ],
    exports: [AmqpConnection, MessageProcessing, LOGGER, MessagingConventions],
  })
  class ServiceParts {}

  @Module({
    imports: [ServiceParts, ConsumerModule.forRoot({ consumer: CONSUMER, topology: TOPOLOGY, prefetch: PREFETCH, drainTimeoutMs: 10_000 })],
    providers: [TestTodoHandlers, { provide: STEERING, useValue: steering }],
  })
  class TestConsumerModule {}
  return TestConsumerModule;
}

// ---------------------------------------------------------------------------
// Broker-side helpers: publisher, DLQ reader, queue counters.
// ---------------------------------------------------------------------------

interface Publication {
  messageId: string;
  routingKey: string;
  body: Buffer;
}

async function publish(channel: ConfirmChannel, routingKey: string, body: unknown, messageId: string = randomUUID()): Promise<Publication> {
  const content = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  channel.publish(TODO_EVENTS_EXCHANGE, routingKey, content, {
    persistent: true,
    contentType: 'application/json',
    messageId,
  });
  await channel.waitForConfirms();
  return { messageId, routingKey, body: content };
}

function publishEvent(channel: ConfirmChannel, event: { event_id: string; event_type: string }): Promise<Publication> {
  return publish(channel, event.event_type, event, event.event_id);
}

/** Reads the dead-letter queue with channel.get, keeping every message seen so each test finds its own. */
class DeadLetterReader {
  private readonly seen: GetMessage[] = [];

  constructor(private readonly channel: Channel) {}

  async drain(): Promise<GetMessage[]> {
    for (;;) {
      const message = await this.channel.get(CONSUMER.deadLetterQueue, { noAck: true });
      if (!message) return this.seen;
      this.seen.push(message);
    }
  }

  async find(messageId: string): Promise<GetMessage | undefined> {
    return (await this.drain()).find((m) => m.properties.messageId === messageId);
  }

  waitFor(messageId: string): Promise<GetMessage> {
    return waitFor(`message ${messageId} in ${CONSUMER.deadLetterQueue}`, () => this.find(messageId));
  }
}

interface QueueCounts {
  ready: number;
  unacked: number;
  consumers: number;
}

/** Ready and unacknowledged counts as the broker holds them (checkQueue reports ready messages only). */
async function queueCounts(vhost: string, queue: string): Promise<QueueCounts> {
  const out = await rabbitmqctl(
    'list_queues',
    '-p',
    vhost,
    '--quiet',
    '--formatter',
    'json',
    'name',
    'messages_ready',
    'messages_unacknowledged',
    'consumers',
  );
  const rows = JSON.parse(out) as { name: string; messages_ready: number; messages_unacknowledged: number; consumers: number }[];
  const row = rows.find((r) => r.name === queue);
  if (!row) throw new Error(`queue ${queue} not found in ${vhost}`);
  return { ready: row.messages_ready, unacked: row.messages_unacknowledged, consumers: row.consumers };
}

function header(message: GetMessage, name: string): unknown {
  return message.properties.headers?.[name];
}

// ---------------------------------------------------------------------------

describe('the consumer: RabbitConsumer and its pipeline (real RabbitMQ and PostgreSQL)', () => {
  const logs = captureLogs('rabbit-consumer-int');
  const schema = testSchema('rabbit_transport');
  let vhost: Awaited<ReturnType<typeof createTestVhost>> | undefined;
  let dataSource: DataSource | undefined;
  let connection: AmqpConnection | undefined;
  let app: INestApplication | undefined;
  let appClosed = false;
  let client: ChannelModel | undefined;
  let publisher: ConfirmChannel;
  let deadLetters: DeadLetterReader;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>> | undefined;
  /** The message dead-lettered after its last retry (set by the always-failing test). */
  let deadAfterRetries: GetMessage | undefined;

  const effectsOf = (eventId: string) =>
    queryIn<{ event_id: string; attempt: number }>(schema, `SELECT event_id, attempt FROM effects WHERE event_id = $1`, [eventId]);
  const inboxRowsOf = (eventId: string) =>
    queryIn(schema, `SELECT event_id FROM inbox WHERE consumer = $1 AND event_id = $2`, [CONSUMER.queue, eventId]);
  const waitForEffect = (eventId: string) => waitFor(`the effect of ${eventId}`, async () => (await effectsOf(eventId)).length > 0);
  const consumedLogs = (eventId: string) => logs.find('Event consumed').filter((line) => line.event_id === eventId);

  beforeAll(async () => {
    vhost = await createTestVhost('rabbit-transport', { topology: TOPOLOGY });

    dataSource = createDataSource({ url: TEST_DATABASE_URL, schema, migrations: [Inbox1764115200001], poolSize: 12 });
    await dataSource.initialize();
    await migrate(dataSource, schema, logs.logger);
    await dataSource.query(`
      CREATE TABLE effects (
        event_id TEXT PRIMARY KEY,
        todo_id INT NOT NULL,
        aggregate_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        attempt INT NOT NULL,
        seq BIGSERIAL NOT NULL
      )`);

    // The consumer reaches the broker through a proxy a test can cut; the test's own client does not.
    proxy = await startTcpProxy('127.0.0.1', 5672);
    connection = new AmqpConnection({
      urls: [`amqp://guest:guest@127.0.0.1:${proxy.port}/${encodeURIComponent(vhost.vhost)}`],
      connectionName: 'rabbit-consumer-int-spec',
      logger: logs.logger,
    });
    app = await NestFactory.create(consumerTestModule(connection, new Inbox(dataSource, logs.logger), logs.logger), {
      logger: new PinoNestLogger(logs.logger),
    });
    await app.init();
    await waitFor('the consumer to start', () => logs.find('Consuming').length > 0);

    client = await amqplib.connect(vhost.url);
    publisher = await client.createConfirmChannel();
    await declareTopology(publisher, TOPOLOGY);
    deadLetters = new DeadLetterReader(await client.createChannel());
  });

  afterAll(async () => {
    if (app && !appClosed) await app.close();
    await client?.close().catch(() => undefined);
    await connection?.close();
    await proxy?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await vhost?.dispose();
    await dropSchemas(schema);
  });

  it('handles a valid event once, commits its effect with its inbox entry, and acks the message', async () => {
    const event = todoCreated();

    const published = await publishEvent(publisher, event);

    await waitForEffect(event.event_id);
    expect(await effectsOf(event.event_id)).toEqual([{ event_id: event.event_id, attempt: 1 }]);
    expect(await inboxRowsOf(event.event_id)).toHaveLength(1);
    expect(steering.attemptsOf(event.event_id)).toEqual([1]);
    await waitFor('the message to be acked', async () => {
      const counts = await queueCounts(vhost!.vhost, CONSUMER.queue);
      return counts.ready === 0 && counts.unacked === 0;
    });
    expect(await deadLetters.find(published.messageId)).toBeUndefined();
    expect(await queueDepth(vhost!.url, CONSUMER.deadLetterQueue)).toBe(0);
  });

  it('gives an event published twice one effect, and logs the second delivery as a duplicate', async () => {
    const event = todoCreated();

    await publishEvent(publisher, event);
    await publishEvent(publisher, event);

    await waitFor('both deliveries to be consumed', () => consumedLogs(event.event_id).length === 2);
    expect(consumedLogs(event.event_id).map((line) => line.duplicate)).toEqual([false, true]);
    expect(await effectsOf(event.event_id)).toHaveLength(1);
    expect(await inboxRowsOf(event.event_id)).toHaveLength(1);
    expect(steering.attemptsOf(event.event_id)).toEqual([1]);
  });

  it('dead-letters poison messages at once with the reason, and goes on consuming', async () => {
    const invalid = todoCreated(undefined, { todo_id: 'seven' });
    const archived = { ...envelope('todo.archived', nextTodoId++), todo_id: 1, user_id: 1 };
    const futureVersion = { ...todoCompleted(), event_version: 99 };
    const poison = [
      { code: 'MALFORMED_JSON', published: await publish(publisher, 'todo.created', '{"event_id": "not json') },
      { code: 'INVALID_PAYLOAD', published: await publishEvent(publisher, invalid) },
      { code: 'UNKNOWN_EVENT_TYPE', published: await publishEvent(publisher, archived) },
      { code: 'UNSUPPORTED_EVENT_VERSION', published: await publishEvent(publisher, futureVersion) },
    ];
    const valid = todoCreated();
    await publishEvent(publisher, valid);

    for (const { code, published } of poison) {
      const dead = await deadLetters.waitFor(published.messageId);
      expect({
        code: header(dead, Headers.DeadLetterCode),
        consumer: header(dead, Headers.DeadLetterConsumer),
        routingKey: header(dead, Headers.OriginalRoutingKey),
        exchange: header(dead, Headers.OriginalExchange),
        attempt: header(dead, Headers.Attempt),
      }).toEqual({ code, consumer: CONSUMER.queue, routingKey: published.routingKey, exchange: TODO_EVENTS_EXCHANGE, attempt: 1 });
      expect(header(dead, Headers.DeadLetterReason)).toEqual(expect.any(String));
      expect(String(header(dead, Headers.DeadLetterReason)).length).toBeGreaterThan(0);
      expect(dead.content.equals(published.body)).toBe(true);
    }
    expect(header(await deadLetters.waitFor(invalid.event_id), Headers.DeadLetterReason)).toMatch(/todo_id/);
    expect(header(await deadLetters.waitFor(archived.event_id), Headers.DeadLetterReason)).toMatch(/todo\.archived/);
    expect(header(await deadLetters.waitFor(futureVersion.event_id), Headers.DeadLetterReason)).toMatch(/99/);

    await waitForEffect(valid.event_id);
    for (const event of [invalid, archived, futureVersion]) {
      expect(steering.attemptsOf(event.event_id)).toEqual([]);
      expect(await inboxRowsOf(event.event_id)).toHaveLength(0);
    }
  });

  it('dead-letters at once, without retry, when a handler throws a PermanentMessageError', async () => {
    const event = todoCreated();
    steering.plans.set(event.event_id, 'permanent');

    await publishEvent(publisher, event);

    const dead = await deadLetters.waitFor(event.event_id);
    expect({
      attempt: header(dead, Headers.Attempt),
      code: header(dead, Headers.DeadLetterCode),
      reason: header(dead, Headers.DeadLetterReason),
      consumer: header(dead, Headers.DeadLetterConsumer),
      routingKey: header(dead, Headers.OriginalRoutingKey),
      exchange: header(dead, Headers.OriginalExchange),
    }).toEqual({
      attempt: 1,
      code: 'TODO_REJECTED',
      reason: `todo ${event.todo_id} cannot be accepted`,
      consumer: CONSUMER.queue,
      routingKey: 'todo.created',
      exchange: TODO_EVENTS_EXCHANGE,
    });
    expect(steering.attemptsOf(event.event_id)).toEqual([1]);
    expect(logs.find('Event handling failed; retry scheduled').filter((l) => l.event_id === event.event_id)).toEqual([]);
    expect(await effectsOf(event.event_id)).toEqual([]);
    expect(await inboxRowsOf(event.event_id)).toHaveLength(0);
  });

  it('retries a transient failure through the broker-held retry queues, without blocking other events', async () => {
    const flaky = todoCreated();
    const sameTodoLater = todoCompleted(flaky.todo_id);
    steering.plans.set(flaky.event_id, 'fail-twice');

    await publishEvent(publisher, flaky);
    await waitFor('the first attempt to fail', () =>
      steering.timeline.some((t) => t.event_id === flaky.event_id && t.outcome === 'failed'),
    );
    // The flaky event now waits in a retry queue; a later event of the same todo goes through meanwhile.
    await publishEvent(publisher, sameTodoLater);

    await waitForEffect(flaky.event_id);
    await waitForEffect(sameTodoLater.event_id);
    expect(steering.attemptsOf(flaky.event_id)).toEqual([1, 2, 3]);
    expect(await effectsOf(flaky.event_id)).toEqual([{ event_id: flaky.event_id, attempt: 3 }]);
    const completions = steering.timeline.filter((t) => t.outcome === 'ok').map((t) => t.event_id);
    expect(completions.indexOf(sameTodoLater.event_id)).toBeLessThan(completions.indexOf(flaky.event_id));
    const retries = logs.find('Event handling failed; retry scheduled').filter((l) => l.event_id === flaky.event_id);
    expect(retries.map((l) => [l.attempt, l.retry_in_ms])).toEqual([
      [1, 100],
      [2, 200],
    ]);
    const consumed = consumedLogs(flaky.event_id);
    expect(consumed.map((l) => [l.attempt, l.duplicate])).toEqual([[3, false]]);
    expect(await deadLetters.find(flaky.event_id)).toBeUndefined();
  });

  it('dead-letters a message that keeps failing after the last retry, with its failure history', async () => {
    const event = todoCompleted();
    steering.plans.set(event.event_id, 'always-fail');

    await publishEvent(publisher, event);

    const dead = await deadLetters.waitFor(event.event_id);
    expect(steering.attemptsOf(event.event_id)).toEqual([1, 2, 3, 4]);
    expect({
      attempt: header(dead, Headers.Attempt),
      code: header(dead, Headers.DeadLetterCode),
      reason: header(dead, Headers.DeadLetterReason),
      consumer: header(dead, Headers.DeadLetterConsumer),
      routingKey: header(dead, Headers.OriginalRoutingKey),
    }).toEqual({
      attempt: 4,
      code: 'Error',
      reason: `projection store unavailable for todo ${event.todo_id}`,
      consumer: CONSUMER.queue,
      routingKey: 'todo.completed',
    });
    deadAfterRetries = dead;
    const firstFailureAt = Date.parse(String(header(dead, Headers.FirstFailureAt)));
    const lastFailureAt = Date.parse(String(header(dead, Headers.LastFailureAt)));
    expect(Number.isNaN(firstFailureAt)).toBe(false);
    expect(Number.isNaN(lastFailureAt)).toBe(false);
    // Three broker-held delays (100 + 200 + 300 ms) lie between the first and the last failure.
    expect(lastFailureAt - firstFailureAt).toBeGreaterThanOrEqual(600);
    const stack = String(header(dead, Headers.DeadLetterStack));
    expect(stack).toMatch(/^Error: projection store unavailable/);
    expect(stack.split('\n').length).toBeLessThanOrEqual(8);
    expect(await effectsOf(event.event_id)).toEqual([]);
    expect(await inboxRowsOf(event.event_id)).toHaveLength(0);
  });

  // A message comes back from a retry queue through the default exchange; its origin must survive that.
  it('keeps the original exchange on a message dead-lettered after its retries', () => {
    expect(deadAfterRetries).toBeDefined();
    expect(header(deadAfterRetries!, Headers.OriginalExchange)).toBe(TODO_EVENTS_EXCHANGE);
  });

  it('handles the events of one aggregate in arrival order, even with prefetch above one', async () => {
    const pairs = Array.from({ length: 20 }, () => {
      const todoId = nextTodoId++;
      return { created: todoCreated(todoId), completed: todoCompleted(todoId) };
    });
    for (const { created } of pairs) steering.delays.set(created.event_id, 25);

    for (const { created, completed } of pairs) {
      await publishEvent(publisher, created);
      await publishEvent(publisher, completed);
    }

    const aggregates = pairs.map((p) => p.created.aggregate_id);
    const rows = await waitFor('all 40 effects', async () => {
      const found = await queryIn<{ aggregate_id: string; event_type: string; seq: string }>(
        schema,
        `SELECT aggregate_id, event_type, seq FROM effects WHERE aggregate_id = ANY($1) ORDER BY seq`,
        [aggregates],
      );
      return found.length === 40 && found;
    });
    for (const aggregate of aggregates) {
      expect([aggregate, rows.filter((r) => r.aggregate_id === aggregate).map((r) => r.event_type)]).toEqual([
        aggregate,
        ['todo.created', 'todo.completed'],
      ]);
    }
    // Order held although handlers of different todos ran side by side.
    expect(steering.maxRunning).toBeGreaterThan(1);
  });

  it('loses the connection while a handler runs: the effect commits once, the redelivery is recognised as a duplicate', async () => {
    const event = todoCreated();
    const hold = steering.hold(event.event_id);
    await publishEvent(publisher, event);
    await hold.entered.promise;

    proxy!.cut();
    await waitFor('the consumer to notice', () => !connection!.isConnected());
    hold.release.resolve();
    await waitForEffect(event.event_id);
    proxy!.restore();

    await waitFor('the redelivery to be recognised', () => consumedLogs(event.event_id).some((l) => l.duplicate === true), {
      timeoutMs: 30_000,
    });
    expect(await effectsOf(event.event_id)).toHaveLength(1);
    await waitFor('the message to be acked on the new channel', async () => {
      const counts = await queueCounts(vhost!.vhost, CONSUMER.queue);
      return counts.ready === 0 && counts.unacked === 0 && counts.consumers === 1;
    });
  });

  it('its queue deleted under it while the connection stays up: the consumer declares it again and goes on consuming', async () => {
    const reconnects = logs.find('AMQP disconnected; reconnecting').length;
    const admin = await client!.createChannel();
    await admin.deleteQueue(CONSUMER.queue);
    await admin.close();

    await waitFor('the cancel to be noticed', () => logs.find('Consumer cancelled by the broker; consuming again').length > 0);
    await waitFor('the consumer to be back on its queue', async () => (await queueCounts(vhost!.vhost, CONSUMER.queue)).consumers === 1);
    const event = todoCreated();
    await publishEvent(publisher, event);
    await waitForEffect(event.event_id);
    expect(logs.find('AMQP disconnected; reconnecting')).toHaveLength(reconnects);
  });

  it('a declaration the broker refuses is tried again on the same connection until it is accepted', async () => {
    const reconnects = logs.find('AMQP disconnected; reconnecting').length;
    const refusals = () => logs.find('AMQP channel closed by the broker').filter((l) => /PRECONDITION_FAILED/.test(String(l.err)));
    const refusedBefore = refusals().length;
    // The queue taken by a declaration with other arguments: the consumer's own is refused.
    const admin = await client!.createChannel();
    await admin.deleteQueue(CONSUMER.queue);
    await admin.assertQueue(CONSUMER.queue, { durable: true, arguments: { 'x-max-length': 7 } });

    await waitFor('the declaration to be refused twice', () => refusals().length >= refusedBefore + 2, { timeoutMs: 20_000 });
    expect((await queueCounts(vhost!.vhost, CONSUMER.queue)).consumers).toBe(0);
    await admin.deleteQueue(CONSUMER.queue);
    await admin.close();

    await waitFor(
      'the consumer to declare its queue and consume',
      async () => (await queueCounts(vhost!.vhost, CONSUMER.queue).catch(() => undefined))?.consumers === 1,
      {
        timeoutMs: 30_000,
      },
    );
    const event = todoCreated();
    await publishEvent(publisher, event);
    await waitForEffect(event.event_id);
    expect(logs.find('AMQP disconnected; reconnecting')).toHaveLength(reconnects);
  });

  it('on close, stops consuming and lets an in-flight handler finish and ack', async () => {
    const event = todoCreated();
    const hold = steering.hold(event.event_id);
    await publishEvent(publisher, event);
    await hold.entered.promise;

    const closing = app!.close();
    appClosed = true;
    await waitFor('the consumer to be cancelled while the handler runs', async () => {
      const counts = await queueCounts(vhost!.vhost, CONSUMER.queue);
      return counts.consumers === 0 && counts.unacked === 1;
    });
    expect(await effectsOf(event.event_id)).toEqual([]);
    hold.release.resolve();
    await closing;

    expect(await effectsOf(event.event_id)).toEqual([{ event_id: event.event_id, attempt: 1 }]);
    expect(await inboxRowsOf(event.event_id)).toHaveLength(1);
    expect(consumedLogs(event.event_id)).toHaveLength(1);
    expect(await queueDepth(vhost!.url, CONSUMER.queue)).toBe(0);
    expect(await queueCounts(vhost!.vhost, CONSUMER.queue)).toEqual({ ready: 0, unacked: 0, consumers: 0 });
    expect(logs.find('Closing with messages in flight; they will be redelivered')).toEqual([]);
  });
});
