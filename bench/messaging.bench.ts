/**
 * Case 1, the messaging layer alone (no database): publish → topic exchange →
 * consume with manual acks, four ways in one run, on the same broker:
 *
 *   raw      amqplib: confirm channel (~1,000 in flight), consumer with prefetch 500
 *   ours     MessagePublisher (confirms, mandatory, persistent) → RabbitTransport
 *            (validation, dispatch by type, per-aggregate lanes), prefetch 500
 *   golevelup @golevelup/nestjs-rabbitmq: topic exchange, persistent publishes with
 *            confirms, acked after the handler, prefetch 500, ~1,000 publishes in flight
 *            (see support/golevelup.ts)
 *   nest     stock @nestjs/microservices RMQ transport: topic exchange, wildcards,
 *            persistent, manual ack, prefetch 500, ~1,000 emits in flight (see stockNest)
 *   nest-q   the same with Nest's default routing (straight to the queue), for reference
 *
 * Reports events/s (median of the runs) and latency p50/p99 at a fixed 1,000/s, against
 * raw amqplib; targets: ours ≥ 0.85× raw, ahead of golevelup (≥ 1×) and ≥ 1.5× the stock
 * transport (topic mode).
 *
 *   npm run bench                      (all cases; BENCH_ONLY=messaging for this one)
 *   npm run bench:messaging            (this file alone; BENCH_SMOKE=1 for a few seconds)
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Controller, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Ctx, EventPattern, MicroserviceOptions, Payload, RmqContext, Transport } from '@nestjs/microservices';
import { AmqpConnection as GolevelupConnection, RabbitMQModule, RabbitSubscribe } from '@golevelup/nestjs-rabbitmq';
import amqplib from 'amqplib';
import { firstValueFrom } from 'rxjs';
import { TodoCreated } from '@todo/events';
import {
  CLASSIC_QUEUES,
  DirectProcessing,
  MessagePublisher,
  QueueSettings,
  Topology,
  consumerQueue,
  defineTopology,
} from '@todo/messaging';
import { PinoNestLogger, createLogger } from '@todo/observability';
import { createTestVhost } from '../test/support/rabbitmq';
import { BenchCase, BenchRow, BenchSettings } from './support/bench-case';
import { GOLEVELUP_CONSUMER_CHANNEL, golevelupConfig } from './support/golevelup';
import { startPlatformConsumer } from './support/platform-consumer';
import { median, runBench } from './support/harness';

export const RATE = 1_000;
export const IN_FLIGHT = 1_000;
export const PREFETCH = 500;
const logger = createLogger({ service: 'bench', level: 'warn' });
/** Milliseconds, sub-millisecond resolution; sender and receiver share this process. */
const now = () => performance.timeOrigin + performance.now();

export interface Receiver {
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

export interface Contender {
  name: string;
  /** Publishes `count` messages with at most IN_FLIGHT unconfirmed (or at `rate`/s when given). */
  publish(count: number, rate?: number): Promise<void>;
  rx: Receiver;
  close(): Promise<void>;
}

/**
 * Sends `count` messages, each through `send`, with at most IN_FLIGHT unsettled (or at
 * `rate`/s when given).
 *
 * A counter, not `Promise.race(inFlight)`: racing a set of ~1,000 pending promises adds a
 * reaction to every one of them each time a slot is awaited, so when promises settle one
 * at a time the work grows with the square of the window. Raw amqplib's confirms arrive in
 * bulk (multiple acks), so it paid little (~30 instead of ~25 µs of CPU per message); the
 * stock transport's emits settle one by one through rxjs, so it paid ~750 instead of
 * ~85 µs per message (--cpu-prof: 31% runMicrotasks, 18% GC) and measured ~1.1k events/s
 * instead of ~7k. Ours publishes in batches and never went through it.
 */
async function paced(count: number, rate: number | undefined, send: (n: number) => Promise<unknown>): Promise<void> {
  const startedAt = performance.now();
  let inFlight = 0;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const settled = () => {
    inFlight -= 1;
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const slot = () => new Promise<void>((resolve) => (wake = resolve));
  for (let n = 0; n < count; n++) {
    if (rate) {
      const wait = startedAt + (n * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    inFlight += 1;
    send(n).then(settled, (error: unknown) => {
      failure ??= { error };
      settled();
    });
    while (inFlight >= IN_FLIGHT) await slot();
    if (failure) throw failure.error;
  }
  while (inFlight > 0) await slot();
  if (failure) throw failure.error;
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

export const OURS: Topology = defineTopology({ exchange: 'bench-ours', consumers: [consumerQueue('bench-ours', ['todo.#'])] });

export async function ours(url: string, queues: QueueSettings = CLASSIC_QUEUES): Promise<Contender> {
  const rx = receiver();
  // No database: DirectProcessing measures the messaging layer itself.
  const { connection, stop } = await startPlatformConsumer({
    url,
    queues,
    topology: OURS,
    queue: 'bench-ours',
    prefetch: PREFETCH,
    processing: new DirectProcessing(),
    handlers: { 'todo.created': (e) => rx.got((e as { sent_at: number }).sent_at) },
    logger,
  });
  const publisher = new MessagePublisher(connection, OURS, logger);
  await connection.waitUntilConnected();
  const batchOf = (from: number, size: number) =>
    Array.from({ length: size }, (_, i) => {
      const e = event(from + i);
      return { exchange: OURS.exchange, routingKey: e.event_type, messageId: e.event_id, body: Buffer.from(JSON.stringify(e)) };
    });
  return {
    name: 'ours (publisher → transport)',
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
      await stop();
      await publisher.close();
      await connection.close();
    },
  };
}

/** @golevelup/nestjs-rabbitmq, its publisher and a subscribe handler, set up as support/golevelup.ts explains. */
async function golevelup(url: string): Promise<Contender> {
  const rx = receiver();
  @Injectable()
  class Handler {
    @RabbitSubscribe({
      exchange: 'bench-golevelup',
      routingKey: 'todo.#',
      queue: 'bench-golevelup',
      queueOptions: { durable: true, channel: GOLEVELUP_CONSUMER_CHANNEL },
    })
    handle(e: { sent_at: number }): void {
      rx.got(e.sent_at);
    }
  }
  @Module({
    imports: [
      RabbitMQModule.forRoot(golevelupConfig(url, { exchange: 'bench-golevelup', prefetch: PREFETCH, logger: new PinoNestLogger(logger) })),
    ],
    providers: [Handler],
  })
  class BenchModule {}
  // Its handlers are set up (queue asserted, bound and consumed) when init() resolves.
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: new PinoNestLogger(logger) });
  await app.init();
  const amqp = app.get(GolevelupConnection);
  return {
    name: '@golevelup/nestjs-rabbitmq',
    rx,
    publish: (count, rate) =>
      paced(count, rate, (n) => {
        const e = event(n);
        return amqp.publish('bench-golevelup', e.event_type, e, { messageId: e.event_id });
      }),
    close: () => app.close(),
  };
}

/**
 * The stock @nestjs/microservices RMQ transport, set up as well as its options allow, so
 * that the comparison is with what a NestJS team gets at best, not with a handicapped setup.
 * Checked against the transport's source (client-rmq.js, server-rmq.js, 11.2.6):
 *
 * - `exchange` + `exchangeType: 'topic'` + `wildcards: true`: the client publishes to the
 *   exchange with the event pattern as routing key, the server binds its queue to
 *   `routingKey` and to every handler pattern. The handler's pattern is exact
 *   ('todo.created'), so the server finds it by map lookup and never runs its wildcard
 *   matcher (the fastest case). `routing: 'queue'` instead uses Nest's default routing
 *   (client `sendToQueue` straight to the server's queue), the other reference.
 * - `persistent: true` reaches every emit (dispatchEvent's publish options).
 * - `noAck: false` on the server + `channel.ack` in the handler: manual acks, as ours.
 *   On the client, `noAck` only applies to its consumer of the direct reply-to queue
 *   (used by send(), never by emit(); nothing arrives there), which requires `noAck: true`.
 * - `prefetchCount: 500` reaches the server's channel (`channel.prefetch`).
 * - TCP_NODELAY: both sides hand `socketOptions` to amqp-connection-manager, which passes
 *   only `socketOptions.connectionOptions` on to amqplib's connect, so that is where
 *   `noDelay` has to go (a top-level `noDelay` reaches neither socket). Measured, it makes
 *   no difference to throughput here.
 * - emit() returns a hot observable that completes when the broker confirms the publish
 *   (amqp-connection-manager uses a confirm channel); ~1,000 emits are kept in flight,
 *   the same window as raw amqplib's confirms.
 *
 * What remains is the transport's own per-message work, measured with process.cpuUsage()
 * and --cpu-prof (emitter and handler in this one process, 20,000 events): about 85 µs of
 * Node CPU per event, against about 25 µs for raw amqplib. On a core of its own that caps
 * it near 11–12k events/s (in line with the ≈10.5k reported for it); with the broker and PostgreSQL on the same
 * 2 cores it gets less. The profile: rxjs per emit (defer + connectable + Subject),
 * amqp-connection-manager's queue of pending publishes, the serializer/deserializer and the
 * RPC context per message, more garbage, and `getRouteFromPattern`, which JSON.parses every
 * string pattern and so throws (and builds a stack trace for) a SyntaxError per message:
 * about 9% of the CPU on its own. None of it has an option to turn it off.
 */
async function stockNest(url: string, routing: 'topic' | 'queue'): Promise<Contender> {
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
  const rmq = routing === 'topic' ? stockNestOptions(url, 'bench-nest', 'bench-nest') : stockNestOptions(url, 'bench-nest-queue');
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(BenchModule, {
    transport: Transport.RMQ,
    options: rmq,
    logger: false,
  });
  await app.listen();
  const client = ClientProxyFactory.create({ transport: Transport.RMQ, options: { ...rmq, noAck: true } });
  await client.connect();
  return {
    name: routing === 'topic' ? 'stock Nest RMQ (topic, wildcards)' : 'stock Nest RMQ (queue routing)',
    rx,
    publish: (count, rate) => paced(count, rate, (n) => firstValueFrom(client.emit('todo.created', event(n)), { defaultValue: undefined })),
    close: async () => {
      await client.close();
      await app.close();
    },
  };
}

/**
 * The stock transport's options as stockNest explains them: with an `exchange`, topic
 * routing with wildcards (the server binds its queue to `todo.#`); without, Nest's default
 * routing straight to the queue.
 */
export function stockNestOptions(url: string, queue: string, exchange?: string) {
  const common = {
    urls: [url],
    queue,
    persistent: true,
    noAck: false,
    prefetchCount: PREFETCH,
    queueOptions: { durable: true },
    socketOptions: { connectionOptions: { noDelay: true } },
  };
  return exchange ? { ...common, exchange, exchangeType: 'topic' as const, routingKey: 'todo.#', wildcards: true } : common;
}

export interface Measured {
  /** events/s of each measured run */
  throughput: number[];
  p50: number;
  p99: number;
}

export const messagesPerRun = (settings: BenchSettings) => (settings.smoke ? 2_000 : 20_000);

export async function measure(c: Contender, settings: BenchSettings): Promise<Measured> {
  const messages = messagesPerRun(settings);
  // Warm-up.
  const warmUp = settings.smoke ? 500 : 1_000;
  c.rx.reset();
  await c.publish(warmUp);
  await c.rx.waitFor(warmUp);
  const throughput: number[] = [];
  for (let run = 0; run < settings.runs; run++) {
    c.rx.reset();
    const startedAt = performance.now();
    await c.publish(messages);
    await c.rx.waitFor(messages);
    throughput.push(messages / ((performance.now() - startedAt) / 1000));
  }
  c.rx.reset();
  const fixed = RATE * (settings.smoke ? 1 : 5);
  await c.publish(fixed, RATE);
  await c.rx.waitFor(fixed);
  const latencies = [...c.rx.latencies].sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { throughput, p50: at(0.5), p99: at(0.99) };
}

const GROUP = '1 messaging layer';

async function messaging(settings: BenchSettings): Promise<BenchRow[]> {
  const vhost = await createTestVhost('bench-messaging', { topology: OURS });
  const contenders: [string, (url: string) => Promise<Contender>][] = [
    ['raw', raw],
    ['ours', ours],
    ['golevelup', golevelup],
    ['nest', (url) => stockNest(url, 'topic')],
    ['nest-q', (url) => stockNest(url, 'queue')],
  ];
  const results: Record<string, Measured & { name: string }> = {};
  try {
    for (const [key, make] of contenders) {
      const contender = await make(vhost.url);
      try {
        results[key] = { name: contender.name, ...(await measure(contender, settings)) };
      } finally {
        await contender.close();
      }
    }
  } finally {
    await vhost.dispose();
  }
  const messages = messagesPerRun(settings);
  const note = `${messages} × ~350-byte persistent messages per run, ~${IN_FLIGHT} unconfirmed, prefetch ${PREFETCH}`;
  const rate = (key: string) => ({ name: results[key].name, value: median(results[key].throughput), samples: results[key].throughput });
  const rows: BenchRow[] = [
    { group: GROUP, unit: 'events/s', note, ...rate('raw') },
    { group: GROUP, unit: 'events/s', note, ...rate('ours'), baseline: rate('raw'), target: { kind: 'ratio-at-least', value: 0.95 } },
    { group: GROUP, unit: 'events/s', note, ...rate('ours'), baseline: rate('golevelup'), target: { kind: 'ratio-at-least', value: 1 } },
    { group: GROUP, unit: 'events/s', note, ...rate('ours'), baseline: rate('nest'), target: { kind: 'ratio-at-least', value: 1.5 } },
    { group: GROUP, unit: 'events/s', note, ...rate('golevelup'), baseline: rate('raw') },
    { group: GROUP, unit: 'events/s', note, ...rate('nest'), baseline: rate('raw') },
    { group: GROUP, unit: 'events/s', note: `${note}; Nest's default routing, for reference`, ...rate('nest-q'), baseline: rate('raw') },
  ];
  const latencyNote = `at a steady ${RATE}/s for ${settings.smoke ? 1 : 5} s, send → handler, one process`;
  for (const p of ['p50', 'p99'] as const) {
    const latency = (key: string) => ({
      name: `${results[key].name}, ${p} at ${RATE.toLocaleString('en-US')}/s`,
      value: results[key][p],
      samples: [results[key][p]],
    });
    rows.push({ group: GROUP, unit: 'ms', note: latencyNote, ...latency('raw') });
    rows.push({ group: GROUP, unit: 'ms', note: latencyNote, ...latency('ours'), baseline: latency('raw') });
    rows.push({ group: GROUP, unit: 'ms', note: latencyNote, ...latency('golevelup'), baseline: latency('raw') });
    rows.push({ group: GROUP, unit: 'ms', note: latencyNote, ...latency('nest'), baseline: latency('raw') });
  }
  return rows;
}

export const messagingCases: BenchCase[] = [{ id: 'messaging', run: messaging }];

if (require.main === module) void runBench(messagingCases, 'messaging');
