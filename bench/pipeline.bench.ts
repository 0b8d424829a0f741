/**
 * The database-backed steps, each against its raw baseline measured in the same run:
 *
 *   outbox relay      committed outbox rows → confirmed publishes   vs raw confirmed publishing
 *   consumer + inbox  queued events → inbox row + read-model row     vs raw consume + ack
 *   command path      CreateTodo through the CommandBus (load, decide, append + outbox)
 *                     vs raw single-row INSERT transactions, at 8 and 32 concurrent callers
 *
 * Prints medians and ratios; writes bench/results/pipeline.json.
 *
 *   npm run bench:pipeline        (BENCH_SMOKE=1 for a short run)
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { Payload } from '@nestjs/microservices';
import amqplib from 'amqplib';
import { Pool } from 'pg';
import { EntityManager } from 'typeorm';
import {
  EventStore,
  EventStore1764115200000,
  Inbox,
  Inbox1764115200001,
  InboxTransaction,
  OutboxRelay,
  createDataSource,
  migrate,
} from '@todo/event-store';
import { TodoCreated } from '@todo/events';
import { AmqpConnection, MessagePublisher, OnEvent, RabbitTransport, TODO_EVENTS_EXCHANGE, Topology, consumerQueue } from '@todo/messaging';
import { PinoNestLogger, createLogger } from '@todo/observability';
import { createTodoServiceApp } from '../apps/todo-service/src/main';
import { loadTodoServiceConfig } from '../apps/todo-service/src/config/todo-service.config';
import { CreateTodoCommand } from '../apps/todo-service/src/todos/commands/create-todo/create-todo.command';
import { TEST_DATABASE_URL, dropSchemas, testSchema } from '../test/support/postgres';
import { createTestVhost } from '../test/support/rabbitmq';

const SMOKE = process.env.BENCH_SMOKE === '1';
const EVENTS = SMOKE ? 2_000 : 10_000;
const COMMANDS = SMOKE ? 500 : 3_000;
const RUNS = SMOKE ? 1 : 3;
const logger = createLogger({ service: 'bench', level: 'warn' });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

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
      channel.publish('bench-raw-pub', e.event_type, Buffer.from(JSON.stringify(e)), { persistent: true, mandatory: true, messageId: e.event_id });
    }
    await channel.waitForConfirms();
  }
  const rate = count / ((performance.now() - startedAt) / 1000);
  await channel.purgeQueue('bench-raw-pub');
  await connection.close();
  return rate;
}

async function relayRate(url: string, count: number): Promise<number> {
  const schema = testSchema('bench_relay');
  const dataSource = createDataSource({ url: TEST_DATABASE_URL, schema, migrations: [EventStore1764115200000], poolSize: 4 });
  await dataSource.initialize();
  await migrate(dataSource, schema, logger);
  const store = new EventStore(TODO_EVENTS_EXCHANGE);
  const topology: Topology = { exchange: TODO_EVENTS_EXCHANGE, consumers: [consumerQueue('bench-relay-probe', ['#'])] };
  const connection = new AmqpConnection({ url, connectionName: 'bench-relay', logger });
  const publisher = new MessagePublisher(connection, topology, logger);
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
            events: [{ type, version, data: { todo_id: rest.todo_id, user_id: 1, title: rest.title, description: rest.description, priority: 'medium' } }],
            causation: { correlationId: 'bench', causationId: 'bench' },
          });
        }
      });
    }
    const relay = new OutboxRelay({ databaseUrl: TEST_DATABASE_URL, schema, publisher, logger, pollIntervalMs: 60_000 });
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
  const startedAt = performance.now();
  await new Promise<void>((resolve) =>
    channel.consume('bench-raw-consume', (m) => {
      if (!m) return;
      JSON.parse(m.content.toString());
      channel.ack(m);
      if (++received === count) resolve();
    }),
  );
  const rate = count / ((performance.now() - startedAt) / 1000);
  await connection.close();
  return rate;
}

async function inboxConsume(url: string, count: number): Promise<number> {
  const schema = testSchema('bench_inbox');
  const dataSource = createDataSource({ url: TEST_DATABASE_URL, schema, migrations: [Inbox1764115200001], poolSize: 10 });
  await dataSource.initialize();
  await migrate(dataSource, schema, logger);
  await dataSource.query(`CREATE TABLE facts (todo_id INT PRIMARY KEY, title TEXT NOT NULL)`);
  let applied = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  @Controller()
  class Projection {
    @OnEvent('todo.created')
    async apply(@Payload() e: TodoCreated, @InboxTransaction() tx: EntityManager): Promise<void> {
      await tx.query(`INSERT INTO facts (todo_id, title) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [e.todo_id, e.title]);
      if (++applied === count) setImmediate(done);
    }
  }
  @Module({ controllers: [Projection] })
  class BenchModule {}
  const topology: Topology = { exchange: 'bench-inbox', consumers: [consumerQueue('bench-inbox', ['#'])] };
  const connection = new AmqpConnection({ url, connectionName: 'bench-inbox', logger });
  const setup = await amqplib.connect(url);
  const ch = await setup.createChannel();
  await ch.assertExchange('bench-inbox', 'topic', { durable: true });
  await ch.assertExchange('bench-inbox.dlx', 'fanout', { durable: true });
  await ch.assertQueue('bench-inbox', { durable: true, arguments: { 'x-dead-letter-exchange': 'bench-inbox.dlx' } });
  await setup.close();
  await fill(url, 'bench-inbox', count, false);
  const app = await NestFactory.create(BenchModule, { logger: new PinoNestLogger(logger) });
  const startedAt = performance.now();
  RabbitTransport.connect(app, { connection, topology, queue: 'bench-inbox', prefetch: 500, processing: new Inbox(dataSource, logger), logger });
  await app.startAllMicroservices();
  await finished;
  const rate = count / ((performance.now() - startedAt) / 1000);
  await app.close();
  await connection.close();
  await dataSource.destroy();
  await dropSchemas(schema);
  return rate;
}

async function rawInserts(concurrency: number, count: number): Promise<number> {
  const schema = testSchema('bench_raw_tx');
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: concurrency });
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

async function commandPath(url: string, concurrency: number, count: number): Promise<number> {
  const schema = testSchema('bench_cmd');
  const config = loadTodoServiceConfig({ DATABASE_URL: TEST_DATABASE_URL, DB_SCHEMA: schema, AMQP_URL: url, DB_POOL_SIZE: String(Math.max(10, concurrency)) });
  const app = await createTodoServiceApp(config, logger);
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

async function main(): Promise<void> {
  const vhost = await createTestVhost('pipeline');
  const rows: { case: string; ours: number; baseline: number; baselineName: string }[] = [];
  try {
    const repeat = async (fn: () => Promise<number>) => {
      const values: number[] = [];
      for (let run = 0; run < RUNS; run++) values.push(await fn());
      return median(values);
    };
    await rawPublish(vhost.url, 500); // warm-up
    // BENCH_ONLY=relay|consumer|command runs one case (handy under --cpu-prof).
    const only = process.env.BENCH_ONLY;
    if (!only || only === 'relay') rows.push({ case: 'outbox relay (events/s)', ours: await repeat(() => relayRate(vhost.url, EVENTS)), baseline: await repeat(() => rawPublish(vhost.url, EVENTS)), baselineName: 'raw confirmed publish' });
    if (!only || only === 'consumer') rows.push({ case: 'consumer + inbox + row (events/s)', ours: await repeat(() => inboxConsume(vhost.url, EVENTS)), baseline: await repeat(() => rawConsume(vhost.url, EVENTS)), baselineName: 'raw consume + ack' });
    for (const concurrency of !only || only === 'command' ? [8, 32] : []) {
      rows.push({
        case: `command path, ${concurrency} callers (commands/s)`,
        ours: await repeat(() => commandPath(vhost.url, concurrency, COMMANDS)),
        baseline: await repeat(() => rawInserts(concurrency, COMMANDS)),
        baselineName: 'raw 1-row insert tx',
      });
    }
  } finally {
    await vhost.dispose();
  }
  const lines = [
    `\nPipeline steps, each against its raw baseline in the same run (median of ${RUNS})`,
    'case                                        ours    baseline   ratio   baseline is',
    ...rows.map((r) => `${r.case.padEnd(38)} ${r.ours.toFixed(0).padStart(9)} ${r.baseline.toFixed(0).padStart(10)}   ${(r.ours / r.baseline).toFixed(2).padStart(5)}   ${r.baselineName}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `pipeline${SMOKE ? '-smoke' : ''}.json`), JSON.stringify({ at: new Date().toISOString(), smoke: SMOKE, rows }, null, 2));
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
