/**
 * Messaging layer alone (no database): publish → topic exchange → consume with manual
 * acks, three ways in one run, on the same broker:
 *
 *   raw      amqplib: confirm channel (~1,000 in flight), consumer with prefetch 500
 *   ours     MessagePublisher (confirms, mandatory, persistent) → RabbitTransport
 *            (validation, dispatch by type, per-aggregate lanes), prefetch 500
 *   nest     stock @nestjs/microservices RMQ transport: topic exchange, wildcards,
 *            persistent, manual ack, prefetch 500
 *
 * Prints events/s (median of the runs) and latency p50/p99 at a fixed rate, as ratios
 * against raw amqplib, and writes bench/results/messaging.json.
 *
 *   npm run bench:messaging            (BENCH_SMOKE=1 for a few seconds per case)
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Controller, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Ctx, EventPattern, MicroserviceOptions, Payload, RmqContext, Transport } from '@nestjs/microservices';
import amqplib from 'amqplib';
import { firstValueFrom } from 'rxjs';
import { TodoCreated } from '@todo/events';
import { AmqpConnection, Delivery, MessageProcessing, MessagePublisher, OnEvent, RabbitTransport, Topology, consumerQueue } from '@todo/messaging';
import { PinoNestLogger, createLogger } from '@todo/observability';
import { createTestVhost } from '../test/support/rabbitmq';

const SMOKE = process.env.BENCH_SMOKE === '1';
const MESSAGES = SMOKE ? 3_000 : 20_000;
const RUNS = SMOKE ? 1 : 3;
const RATE = 1_000;
const RATE_SECONDS = SMOKE ? 2 : 5;
const IN_FLIGHT = 1_000;
const PREFETCH = 500;
const logger = createLogger({ service: 'bench', level: 'warn' });
/** Milliseconds, sub-millisecond resolution; sender and receiver share this process. */
const now = () => performance.timeOrigin + performance.now();

interface Receiver {
  /** Resolves when `count` messages were received since reset. */
  waitFor(count: number): Promise<void>;
  reset(): void;
  latencies: number[];
}

function receiver(): Receiver & { got(sentAt: number): void } {
  let received = 0;
  let target = Infinity;
  let done: () => void = () => undefined;
  const state = {
    latencies: [] as number[],
    got(sentAt: number) {
      received += 1;
      state.latencies.push(now() - sentAt);
      if (received >= target) done();
    },
    reset() {
      received = 0;
      state.latencies = [];
    },
    waitFor(count: number) {
      target = count;
      return received >= count ? Promise.resolve() : new Promise<void>((resolve) => (done = resolve));
    },
  };
  return state;
}

/** A realistic ~300-byte todo.created, with the send time for latency. */
function event(n: number): TodoCreated & { sent_at: number } {
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
    sent_at: now(),
  };
}

interface Contender {
  name: string;
  /** Publishes `count` messages with at most IN_FLIGHT unconfirmed (or at `rate`/s when given). */
  publish(count: number, rate?: number): Promise<void>;
  rx: Receiver;
  close(): Promise<void>;
}

async function paced(count: number, rate: number | undefined, send: (n: number) => Promise<unknown>): Promise<void> {
  const startedAt = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let n = 0; n < count; n++) {
    if (rate) {
      const wait = startedAt + (n * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const p = send(n).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

async function raw(url: string): Promise<Contender> {
  // Every contender gets TCP_NODELAY, as the platform's own connection has.
  const connection = await amqplib.connect(url, { noDelay: true });
  const pub = await connection.createConfirmChannel();
  const sub = await connection.createChannel();
  await pub.assertExchange('bench-raw', 'topic', { durable: true });
  await sub.assertQueue('bench-raw', { durable: true });
  await sub.bindQueue('bench-raw', 'bench-raw', 'todo.#');
  await sub.prefetch(PREFETCH);
  const rx = receiver();
  await sub.consume('bench-raw', (m) => {
    if (!m) return;
    rx.got(JSON.parse(m.content.toString()).sent_at);
    sub.ack(m);
  });
  return {
    name: 'raw amqplib',
    rx,
    publish: (count, rate) =>
      paced(count, rate, (n) => {
        const e = event(n);
        return new Promise<void>((resolve, reject) =>
          pub.publish('bench-raw', e.event_type, Buffer.from(JSON.stringify(e)), { persistent: true, messageId: e.event_id }, (err) =>
            err ? reject(err) : resolve(),
          ),
        );
      }),
    close: () => connection.close(),
  };
}

const OURS: Topology = { exchange: 'bench-ours', consumers: [consumerQueue('bench-ours', ['todo.#'])] };

/** No database: measures the messaging layer itself. */
class PassThrough extends MessageProcessing {
  async process(_delivery: Delivery, handle: (scope: unknown) => Promise<void>): Promise<'processed'> {
    await handle(undefined);
    return 'processed';
  }
}

async function ours(url: string): Promise<Contender> {
  const rx = receiver();
  @Controller()
  class Handler {
    @OnEvent('todo.created')
    handle(@Payload() e: TodoCreated & { sent_at: number }): void {
      rx.got(e.sent_at);
    }
  }
  @Module({ controllers: [Handler] })
  class BenchModule {}
  const connection = new AmqpConnection({ url, connectionName: 'bench-ours', logger });
  const app: INestApplication = await NestFactory.create(BenchModule, { logger: new PinoNestLogger(logger) });
  RabbitTransport.connect(app, { connection, topology: OURS, queue: 'bench-ours', prefetch: PREFETCH, processing: new PassThrough(), logger });
  await app.startAllMicroservices();
  await app.init();
  const publisher = new MessagePublisher(connection, OURS, logger);
  await connection.waitUntilConnected();
  const batchOf = (from: number, size: number) =>
    Array.from({ length: size }, (_, i) => {
      const e = event(from + i);
      return { exchange: OURS.exchange, routingKey: e.event_type, messageId: e.event_id, body: Buffer.from(JSON.stringify(e)) };
    });
  return {
    name: 'ours (publisher + transport)',
    rx,
    publish: async (count, rate) => {
      if (rate) {
        await paced(count, rate, (n) => publisher.publishAll(batchOf(n, 1)));
        return;
      }
      // The relay's way: batches on one confirm channel, ~IN_FLIGHT unconfirmed at a time.
      for (let sent = 0; sent < count; sent += IN_FLIGHT) await publisher.publishAll(batchOf(sent, Math.min(IN_FLIGHT, count - sent)));
    },
    close: async () => {
      await app.close();
      await publisher.close();
      await connection.close();
    },
  };
}

async function stockNest(url: string): Promise<Contender> {
  const rx = receiver();
  @Controller()
  class Handler {
    @EventPattern('todo.created')
    handle(@Payload() e: { sent_at: number }, @Ctx() ctx: RmqContext): void {
      rx.got(e.sent_at);
      (ctx.getChannelRef() as amqplib.Channel).ack(ctx.getMessage() as amqplib.Message);
    }
  }
  @Module({ controllers: [Handler] })
  class BenchModule {}
  const rmq = {
    urls: [url],
    queue: 'bench-nest',
    exchange: 'bench-nest',
    exchangeType: 'topic',
    routingKey: 'todo.#',
    wildcards: true,
    persistent: true,
    noAck: false,
    prefetchCount: PREFETCH,
    queueOptions: { durable: true },
    socketOptions: { noDelay: true },
  };
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(BenchModule, { transport: Transport.RMQ, options: rmq, logger: false });
  await app.listen();
  // The client only emits; its reply-queue consumer must not ask for acks (direct reply-to forbids it).
  const client = ClientProxyFactory.create({ transport: Transport.RMQ, options: { ...rmq, noAck: true } });
  await client.connect();
  return {
    name: 'stock Nest RMQ transport',
    rx,
    publish: (count, rate) => paced(count, rate, (n) => firstValueFrom(client.emit('todo.created', event(n)), { defaultValue: undefined })),
    close: async () => {
      await client.close();
      await app.close();
    },
  };
}

async function measure(c: Contender): Promise<{ throughput: number; p50: number; p99: number }> {
  // Warm-up.
  c.rx.reset();
  await c.publish(1_000);
  await c.rx.waitFor(1_000);
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    c.rx.reset();
    const startedAt = performance.now();
    await c.publish(MESSAGES);
    await c.rx.waitFor(MESSAGES);
    rates.push(MESSAGES / ((performance.now() - startedAt) / 1000));
  }
  c.rx.reset();
  const fixed = RATE * RATE_SECONDS;
  await c.publish(fixed, RATE);
  await c.rx.waitFor(fixed);
  const latencies = [...c.rx.latencies].sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  rates.sort((a, b) => a - b);
  return { throughput: rates[Math.floor(rates.length / 2)], p50: at(0.5), p99: at(0.99) };
}

async function main(): Promise<void> {
  const vhost = await createTestVhost('bench');
  const results: Record<string, { throughput: number; p50: number; p99: number }> = {};
  try {
    for (const make of [raw, ours, stockNest]) {
      const contender = await make(vhost.url);
      try {
        results[contender.name] = await measure(contender);
      } finally {
        await contender.close();
      }
    }
  } finally {
    await vhost.dispose();
  }
  const base = results['raw amqplib'];
  const lines = [
    `\nMessaging layer: publish → topic exchange → manual-ack consumer (${MESSAGES} × ~350-byte persistent messages, median of ${RUNS}; latency at ${RATE}/s)`,
    'contender                        events/s   × raw   p50 ms   p99 ms',
    ...Object.entries(results).map(
      ([name, r]) =>
        `${name.padEnd(30)} ${r.throughput.toFixed(0).padStart(9)}  ${(r.throughput / base.throughput).toFixed(2).padStart(5)}  ${r.p50.toFixed(1).padStart(7)}  ${r.p99.toFixed(1).padStart(7)}`,
    ),
  ];
  const stock = results['stock Nest RMQ transport'];
  const mine = results['ours (publisher + transport)'];
  lines.push(`ours / stock Nest: ${(mine.throughput / stock.throughput).toFixed(2)}×   ours / raw: ${(mine.throughput / base.throughput).toFixed(2)}×`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `messaging${SMOKE ? '-smoke' : ''}.json`), JSON.stringify({ at: new Date().toISOString(), smoke: SMOKE, messages: MESSAGES, results }, null, 2));
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
