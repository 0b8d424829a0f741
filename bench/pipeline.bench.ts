/**
 * Cases 2–4, the database-backed steps, each against its raw baseline measured
 * in the same run:
 *
 *   relay     committed outbox rows → confirmed publishes    vs raw confirmed publishing   (≥ 0.70×)
 *   consumer  queued events → inbox row + read-model row      vs raw consume + ack          (≥ 0.40×)
 *   command   CreateTodo through the CommandBus (load, decide, append + outbox)
 *             vs raw single-row INSERT transactions, at 8 and 32 concurrent callers      (≥ 0.50×)
 *
 *   npm run bench                   (all cases; BENCH_ONLY=relay,consumer,command for these)
 *   npm run bench:pipeline          (this file alone; BENCH_ONLY=relay|consumer|command, BENCH_SMOKE=1)
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CommandBus } from '@nestjs/cqrs';
import amqplib from 'amqplib';
import { Pool } from 'pg';
import {
  EventStore,
  EventStore1764115200000,
  Inbox,
  Inbox1764115200001,
  InboxContext,
  OutboxMessages1764115200002,
  OutboxRelay,
} from '@todo/event-store';
import { createDataSource, migrate } from '@todo/database';
import { TodoCreated } from '@todo/events';
import {
  AmqpConnection,
  MessagePublisher,
  PLATFORM_TOPOLOGY,
  TODO_EVENTS_EXCHANGE,
  Topology,
  consumerQueue,
  defineTopology,
} from '@todo/messaging';
import { createLogger } from '@todo/observability';
import { createServiceApp } from '@todo/service';
import { todoService } from '../apps/todo-service/src/todo-service.definition';
import { startPlatformConsumer } from './support/platform-consumer';
import { loadTodoServiceConfig } from '../apps/todo-service/src/config/todo-service.config';
import { CreateTodoCommand } from '../apps/todo-service/src/todos/commands/create-todo/create-todo.command';
import { DEMO_PASSWORD } from '../test/support/auth';
import { dropSchemas, testSchema } from '../test/support/postgres';
import { createTestVhost } from '../test/support/rabbitmq';
import { BenchCase, BenchRow, BenchSettings } from './support/bench-case';
import { median, runBench, samples } from './support/harness';

const events = (settings: BenchSettings) => (settings.smoke ? 1_000 : 10_000);
const commands = (settings: BenchSettings) => (settings.smoke ? 300 : 3_000);
/** Warm-up size: a small batch of each contender before the measured runs. */
const warmUp = (settings: BenchSettings, full: number) => (settings.smoke ? Math.round(full / 5) : full);
// Errors only: shutting the service down after each run logs expected warnings (outbox entries waiting for the broker).
const logger = createLogger({ service: 'bench', level: 'error' });
/**
 * The broker topology of each case's vhost, provisioned before anything runs (the
 * services and the platform's publisher and consumer only check the exchanges exist):
 * the relay's events reach one probe queue, the consumer's come from a queue of its own.
 */
const RELAY_TOPOLOGY: Topology = defineTopology({ exchange: TODO_EVENTS_EXCHANGE, consumers: [consumerQueue('bench-relay-probe', ['#'])] });
const INBOX_TOPOLOGY: Topology = defineTopology({ exchange: 'bench-inbox', consumers: [consumerQueue('bench-inbox', ['#'])] });

function todoCreated(n: number): TodoCreated {
  return {
    event_id: randomUUID(),
    event_type: 'todo.created',
    event_version: 2,
    aggregate_id: `todo-${n}`,
    aggregate_type: 'todo',
    aggregate_version: 1,
    occurred_at: new Date().toISOString(),
    correlation_id: 'bench',
    causation_id: 'bench',
    todo_id: n + 1,
    user_id: 1,
    title: `benchmark todo ${n}`,
    description: 'x'.repeat(40),
    priority: 'medium',
  };
}

/** Confirmed publishing with ~1,000 in flight, raw amqplib. */
async function rawPublish(url: string, count: number): Promise<number> {
  const connection = await amqplib.connect(url, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  await channel.assertExchange('bench-raw-pub', 'topic', { durable: true });
  await channel.assertQueue('bench-raw-pub', { durable: true });
  await channel.bindQueue('bench-raw-pub', 'bench-raw-pub', '#');
  const startedAt = performance.now();
  for (let sent = 0; sent < count; sent += 1_000) {
    for (let i = sent; i < Math.min(count, sent + 1_000); i++) {
      const e = todoCreated(i);
      channel.publish('bench-raw-pub', e.event_type, Buffer.from(JSON.stringify(e)), {
        persistent: true,
        mandatory: true,
        messageId: e.event_id,
      });
    }
    await channel.waitForConfirms();
  }
  const rate = count / ((performance.now() - startedAt) / 1000);
  await channel.purgeQueue('bench-raw-pub');
  await connection.close();
  return rate;
}

async function relayRate(url: string, databaseUrl: string, count: number): Promise<number> {
  const schema = testSchema('bench_relay');
  const dataSource = createDataSource({
    url: databaseUrl,
    schema,
    migrations: [EventStore1764115200000, OutboxMessages1764115200002],
    poolSize: 4,
  });
  await dataSource.initialize();
  await migrate(dataSource, schema, logger);
  const store = new EventStore();
  const connection = new AmqpConnection({ urls: [url], connectionName: 'bench-relay', logger });
  const publisher = new MessagePublisher(connection, RELAY_TOPOLOGY, logger);
  try {
    await connection.waitUntilConnected();
    for (let written = 0; written < count; written += 500) {
      await dataSource.transaction(async (tx) => {
        for (let i = written; i < Math.min(count, written + 500); i++) {
          const e = todoCreated(i);
          const { event_id: _id, event_type: type, event_version: version, ...rest } = e;
          void _id;
          await store.append(tx, {
            streamId: e.aggregate_id,
            streamType: 'todo',
            expectedVersion: 0,
            events: [
              {
                type,
                version,
                data: { todo_id: rest.todo_id, user_id: 1, title: rest.title, description: rest.description, priority: 'medium' },
              },
            ],
            causation: { correlationId: 'bench', causationId: 'bench' },
          });
        }
      });
    }
    const relay = new OutboxRelay({ databaseUrl, schema, publisher, logger, pollIntervalMs: 60_000 });
    const startedAt = performance.now();
    relay.start();
    await relay.whenIdle();
    const rate = count / ((performance.now() - startedAt) / 1000);
    await relay.stop();
    return rate;
  } finally {
    await publisher.close();
    await connection.close();
    await dataSource.destroy();
    await dropSchemas(schema);
  }
}

/** Puts `count` events in a queue (declared here unless it already exists). */
async function fill(url: string, queue: string, count: number, declare = true): Promise<void> {
  const connection = await amqplib.connect(url, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  if (declare) await channel.assertQueue(queue, { durable: true });
  for (let sent = 0; sent < count; sent += 1_000) {
    for (let i = sent; i < Math.min(count, sent + 1_000); i++) {
      const e = todoCreated(i);
      channel.sendToQueue(queue, Buffer.from(JSON.stringify(e)), { persistent: true, messageId: e.event_id });
    }
    await channel.waitForConfirms();
  }
  await connection.close();
}

async function rawConsume(url: string, count: number): Promise<number> {
  await fill(url, 'bench-raw-consume', count);
  const connection = await amqplib.connect(url, { noDelay: true });
  const channel = await connection.createChannel();
  await channel.prefetch(500);
  let received = 0;
  let firstAt = 0;
  await new Promise<void>((resolve) =>
    channel.consume('bench-raw-consume', (m) => {
      if (!m) return;
      JSON.parse(m.content.toString());
      channel.ack(m);
      if (++received === 1) firstAt = performance.now();
      if (received === count) resolve();
    }),
  );
  // From the first delivery to the last, as for ours: connecting is not consuming.
  const rate = (count - 1) / ((performance.now() - firstAt) / 1000);
  await connection.close();
  return rate;
}

async function inboxConsume(url: string, databaseUrl: string, count: number): Promise<number> {
  const schema = testSchema('bench_inbox');
  const dataSource = createDataSource({ url: databaseUrl, schema, migrations: [Inbox1764115200001], poolSize: 10 });
  await dataSource.initialize();
  await migrate(dataSource, schema, logger);
  await dataSource.query(`CREATE TABLE facts (todo_id INT PRIMARY KEY, title TEXT NOT NULL)`);
  let applied = 0;
  let firstAt = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const project = async (message: Record<string, unknown>, { tx, afterCommit }: InboxContext): Promise<void> => {
    const e = message as unknown as TodoCreated;
    await tx.query(`INSERT INTO facts (todo_id, title) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [e.todo_id, e.title]);
    if (++applied === 1) firstAt = performance.now();
    // The last batch commits before its acks; counting from the first handler run to the last commit.
    if (applied === count) afterCommit(() => setImmediate(done));
  };
  // The queue is the vhost's (INBOX_TOPOLOGY): filled before the consumer starts.
  await fill(url, 'bench-inbox', count, false);
  const consumer = await startPlatformConsumer({
    url,
    topology: INBOX_TOPOLOGY,
    queue: 'bench-inbox',
    prefetch: 500,
    processing: new Inbox(dataSource, logger),
    handlers: { 'todo.created': (message, context) => project(message, context as InboxContext) },
    logger,
  });
  await finished;
  // From the first event handled to the last committed: connecting is not consuming.
  const rate = (count - 1) / ((performance.now() - firstAt) / 1000);
  await consumer.stop();
  await dataSource.destroy();
  await dropSchemas(schema);
  return rate;
}

async function rawInserts(databaseUrl: string, concurrency: number, count: number): Promise<number> {
  const schema = testSchema('bench_raw_tx');
  const pool = new Pool({ connectionString: databaseUrl, max: concurrency });
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(`CREATE TABLE ${schema}.rows (id BIGSERIAL PRIMARY KEY, payload JSONB NOT NULL)`);
  let issued = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued++ < count) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(`INSERT INTO ${schema}.rows (payload) VALUES ($1)`, [JSON.stringify(todoCreated(issued))]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }
    }),
  );
  const rate = count / ((performance.now() - startedAt) / 1000);
  await pool.query(`DROP SCHEMA ${schema} CASCADE`);
  await pool.end();
  return rate;
}

async function commandPath(url: string, databaseUrl: string, concurrency: number, count: number): Promise<number> {
  const schema = testSchema('bench_cmd');
  const config = loadTodoServiceConfig({
    DATABASE_URL: databaseUrl,
    DB_SCHEMA: schema,
    AMQP_URL: url,
    DB_POOL_SIZE: String(Math.max(10, concurrency)),
    // The commands are the demo user's (id 1): CreateTodo refuses an owner that is not registered.
    DEMO_USER_PASSWORD: DEMO_PASSWORD,
  });
  const app = await createServiceApp(todoService, config, logger);
  await app.init();
  const bus = app.get(CommandBus);
  let issued = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued++ < count) {
        await bus.execute(new CreateTodoCommand(1, `bench ${issued}`, '', 'medium', { correlationId: 'bench', causationId: 'bench' }));
      }
    }),
  );
  const rate = count / ((performance.now() - startedAt) / 1000);
  await app.close();
  await dropSchemas(schema);
  return rate;
}

/** A vhost of its own for one case, provisioned with `topology`, removed afterwards. */
async function inVhost<T>(label: string, topology: Topology, fn: (url: string) => Promise<T>): Promise<T> {
  const vhost = await createTestVhost(label, { topology });
  try {
    return await fn(vhost.url);
  } finally {
    await vhost.dispose();
  }
}

const summary = (name: string, values: number[]) => ({ name, value: median(values), samples: values });
const measured = (values: number[]) => ({ value: median(values), samples: values });

async function relay(settings: BenchSettings): Promise<BenchRow[]> {
  return inVhost('bench-relay', RELAY_TOPOLOGY, async (url) => {
    const count = events(settings);
    await rawPublish(url, warmUp(settings, 500));
    await relayRate(url, settings.databaseUrl, warmUp(settings, 500));
    const ours = await samples(settings.runs, () => relayRate(url, settings.databaseUrl, count));
    const raw = await samples(settings.runs, () => rawPublish(url, count));
    return [
      {
        group: '2 outbox relay',
        name: 'ours: committed outbox rows → confirmed publishes',
        unit: 'events/s',
        ...measured(ours),
        baseline: summary('raw confirmed publish', raw),
        target: { kind: 'ratio-at-least', value: 0.7 },
        note: `${count} rows already committed when the relay starts; raw: ~1,000 unconfirmed, persistent, mandatory`,
      },
    ];
  });
}

async function consumer(settings: BenchSettings): Promise<BenchRow[]> {
  return inVhost('bench-consumer', INBOX_TOPOLOGY, async (url) => {
    const count = events(settings);
    await rawConsume(url, warmUp(settings, 500));
    await inboxConsume(url, settings.databaseUrl, warmUp(settings, 500));
    const ours = await samples(settings.runs, () => inboxConsume(url, settings.databaseUrl, count));
    const raw = await samples(settings.runs, () => rawConsume(url, count));
    return [
      {
        group: '3 consumer + inbox',
        name: 'ours: inbox row + read-model row per event',
        unit: 'events/s',
        ...measured(ours),
        baseline: summary('raw consume + ack', raw),
        target: { kind: 'ratio-at-least', value: 0.4 },
        note: `${count} events queued before the consumer starts, prefetch 500`,
      },
    ];
  });
}

async function command(settings: BenchSettings): Promise<BenchRow[]> {
  return inVhost('bench-command', PLATFORM_TOPOLOGY, async (url) => {
    const count = commands(settings);
    await commandPath(url, settings.databaseUrl, 8, warmUp(settings, 200));
    await rawInserts(settings.databaseUrl, 8, warmUp(settings, 200));
    const rows: BenchRow[] = [];
    for (const concurrency of [8, 32]) {
      const ours = await samples(settings.runs, () => commandPath(url, settings.databaseUrl, concurrency, count));
      const raw = await samples(settings.runs, () => rawInserts(settings.databaseUrl, concurrency, count));
      rows.push({
        group: '4 command path',
        name: `ours: CreateTodo via CommandBus, ${concurrency} callers`,
        unit: 'commands/s',
        ...measured(ours),
        baseline: summary(`raw 1-row insert tx, ${concurrency} callers`, raw),
        target: { kind: 'ratio-at-least', value: 0.5 },
        note: `${count} commands per run, in-process (the service with its relay and view consumer running)`,
      });
    }
    return rows;
  });
}

export const pipelineCases: BenchCase[] = [
  { id: 'relay', run: relay },
  { id: 'consumer', run: consumer },
  { id: 'command', run: command },
];

if (require.main === module) void runBench(pipelineCases, 'pipeline');
