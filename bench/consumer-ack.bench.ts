/**
 * Case 1b, the consuming side alone (no database): messages already queued → consumed →
 * a handler that does a little work and resolves → acked after it resolved, four ways in
 * one run, on the same broker, each with prefetch 500:
 *
 *   raw        amqplib: consume, await the handler, ack
 *   golevelup  @golevelup/nestjs-rabbitmq: a @RabbitSubscribe handler, acked by the
 *              library when it resolves (see support/golevelup.ts)
 *   nest       stock @nestjs/microservices RMQ transport, set up as in case 1 (stockNest):
 *              an @EventPattern handler that acks through its context when its work is done
 *   ours       RabbitTransport with a message processing that just calls the handler (no
 *              inbox: that is case 3), an @OnEvent handler
 *
 * Reports events/s, from the first handler call to the last handler resolved, against raw
 * amqplib. After each run the consumer is closed and the queue must be empty: every
 * message was acked, none merely handled.
 *
 *   npm run bench                      (all cases; BENCH_ONLY=consumer-ack for this one)
 *   node -r ./scripts/register-ts.js bench/consumer-ack.bench.ts   (this file alone; BENCH_SMOKE=1)
 */
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Controller, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MicroserviceOptions, Payload, RmqContext, Transport } from '@nestjs/microservices';
import { RabbitMQModule, RabbitSubscribe } from '@golevelup/nestjs-rabbitmq';
import amqplib from 'amqplib';
import { TodoCreated } from '@todo/events';
import { DirectProcessing, Topology, consumerQueue, declareTopology, defineTopology } from '@todo/messaging';
import { PinoNestLogger, createLogger } from '@todo/observability';
import { createTestVhost } from '../test/support/rabbitmq';
import { stockNestOptions } from './messaging.bench';
import { BenchCase, BenchRow, BenchSettings } from './support/bench-case';
import { GOLEVELUP_CONSUMER_CHANNEL, golevelupConfig } from './support/golevelup';
import { startPlatformConsumer } from './support/platform-consumer';
import { median, runBench } from './support/harness';

const PREFETCH = 500;
const logger = createLogger({ service: 'bench', level: 'warn' });

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

/**
 * The handler's work, the same in every contender: a checksum of the todo (a few µs of
 * CPU), then it resolves. It also times the run: first call to `count`-th resolution.
 */
class Work {
  private finished = 0;
  private firstAt = 0;
  private lastAt = 0;
  private count = Infinity;
  private done: () => void = () => undefined;
  checksum = 0;

  async handle(e: Pick<TodoCreated, 'title' | 'description'>): Promise<void> {
    if (this.firstAt === 0) this.firstAt = performance.now();
    this.checksum ^= createHash('sha256')
      .update(e.title)
      .update(e.description ?? '')
      .digest()
      .readUInt32LE(0);
    if (++this.finished === this.count) {
      this.lastAt = performance.now();
      this.done();
    }
  }

  /** Resolves with events/s once `count` handler calls have resolved. */
  until(count: number): Promise<number> {
    this.count = count;
    return new Promise((resolve) => (this.done = () => resolve(count / ((this.lastAt - this.firstAt) / 1000))));
  }
}

interface Contender {
  name: string;
  queue: string;
  /** Declares the queue as the contender will, and returns a message's body in its wire format. */
  prepare(channel: amqplib.Channel): Promise<(e: TodoCreated) => Buffer>;
  /** Starts consuming with `work` as the handler; resolves to a stop function once it consumes. */
  start(work: Work): Promise<() => Promise<void>>;
}

/** Queues `count` persistent messages while nothing consumes them. */
async function fill(url: string, contender: Contender, count: number): Promise<void> {
  const connection = await amqplib.connect(url, { noDelay: true });
  try {
    const channel = await connection.createConfirmChannel();
    const body = await contender.prepare(channel);
    for (let sent = 0; sent < count; sent += 1_000) {
      for (let i = sent; i < Math.min(count, sent + 1_000); i++) {
        const e = todoCreated(i);
        channel.sendToQueue(contender.queue, body(e), { persistent: true, messageId: e.event_id });
      }
      await channel.waitForConfirms();
    }
  } finally {
    await connection.close();
  }
}

const json = (e: TodoCreated) => Buffer.from(JSON.stringify(e));

function raw(url: string): Contender {
  const queue = 'bench-ack-raw';
  return {
    name: 'raw amqplib: consume, handler, ack',
    queue,
    async prepare(channel) {
      await channel.assertQueue(queue, { durable: true });
      return json;
    },
    async start(work) {
      const connection = await amqplib.connect(url, { noDelay: true });
      const channel = await connection.createChannel();
      await channel.prefetch(PREFETCH);
      await channel.consume(queue, (m) => {
        if (!m) return;
        work.handle(JSON.parse(m.content.toString()) as TodoCreated).then(
          () => channel.ack(m),
          () => channel.nack(m, false, false),
        );
      });
      return async () => {
        // The channel first: its close frame follows its acks, a connection's close may overtake them.
        await channel.close();
        await connection.close();
      };
    },
  };
}

function golevelup(url: string): Contender {
  const queue = 'bench-ack-golevelup';
  return {
    name: '@golevelup/nestjs-rabbitmq: subscribe handler',
    queue,
    async prepare(channel) {
      await channel.assertQueue(queue, { durable: true });
      return json;
    },
    async start(work) {
      @Injectable()
      class Handler {
        @RabbitSubscribe({ queue, queueOptions: { durable: true, channel: GOLEVELUP_CONSUMER_CHANNEL } })
        handle(e: TodoCreated): Promise<void> {
          return work.handle(e);
        }
      }
      @Module({
        imports: [RabbitMQModule.forRoot(golevelupConfig(url, { prefetch: PREFETCH, logger: new PinoNestLogger(logger) }))],
        providers: [Handler],
      })
      class BenchModule {}
      const app = await NestFactory.createApplicationContext(BenchModule, { logger: new PinoNestLogger(logger) });
      await app.init();
      return () => app.close();
    },
  };
}

function stockNest(url: string): Contender {
  const queue = 'bench-ack-nest';
  return {
    name: 'stock Nest RMQ: handler, then ack',
    queue,
    async prepare(channel) {
      await channel.assertQueue(queue, { durable: true });
      // Its wire format: the emit's pattern and data.
      return (e) => Buffer.from(JSON.stringify({ pattern: e.event_type, data: e }));
    },
    async start(work) {
      @Controller()
      class Handler {
        @EventPattern('todo.created')
        async handle(@Payload() e: TodoCreated, @Ctx() ctx: RmqContext): Promise<void> {
          await work.handle(e);
          (ctx.getChannelRef() as amqplib.Channel).ack(ctx.getMessage() as amqplib.Message);
        }
      }
      @Module({ controllers: [Handler] })
      class BenchModule {}
      const app = await NestFactory.createMicroservice<MicroserviceOptions>(BenchModule, {
        transport: Transport.RMQ,
        options: stockNestOptions(url, queue, 'bench-ack-nest'),
        logger: false,
      });
      await app.listen();
      return () => app.close();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Ours: the platform's consumer (RabbitConsumer and its pipeline, bench/support/platform-consumer.ts).
// ---------------------------------------------------------------------------------------

/** This case's own exchange and queue, in the platform topology's shape. */
const OURS: Topology = defineTopology({ exchange: 'bench-ack-ours', consumers: [consumerQueue('bench-ack-ours', ['todo.#'])] });

function ours(url: string): Contender {
  const queue = OURS.consumers[0].queue;
  return {
    name: 'ours: the platform consumer, a handler without inbox',
    queue,
    async prepare(channel) {
      await declareTopology(channel, OURS);
      return json;
    },
    async start(work) {
      // No inbox, no database: DirectProcessing calls the handler and that is all.
      const consumer = await startPlatformConsumer({
        url,
        topology: OURS,
        queue,
        prefetch: PREFETCH,
        processing: new DirectProcessing(),
        handlers: { 'todo.created': (e) => work.handle(e as unknown as TodoCreated) },
        logger,
      });
      return consumer.stop;
    },
  };
}

// ---------------------------------------------------------------------------------------

async function consumeOnce(url: string, contender: Contender, count: number): Promise<number> {
  await fill(url, contender, count);
  const work = new Work();
  const finished = work.until(count);
  const stop = await contender.start(work);
  let rate: number;
  try {
    rate = await finished;
    // The last handlers resolved; their acks follow in this turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    await stop();
  }
  // Closed: whatever was handled but not acked is back in the queue.
  const connection = await amqplib.connect(url);
  try {
    const { messageCount } = await (await connection.createChannel()).checkQueue(contender.queue);
    if (messageCount > 0) throw new Error(`${contender.name}: ${messageCount} of ${count} messages were not acked`);
  } finally {
    await connection.close();
  }
  return rate;
}

const GROUP = '1b consumer, ack after the handler';

async function consumerAck(settings: BenchSettings): Promise<BenchRow[]> {
  const vhost = await createTestVhost('bench-consumer-ack', { topology: OURS });
  const count = settings.smoke ? 2_000 : 20_000;
  const warmUp = settings.smoke ? 500 : 2_000;
  const contenders = { raw: raw(vhost.url), golevelup: golevelup(vhost.url), nest: stockNest(vhost.url), ours: ours(vhost.url) };
  const results: Record<keyof typeof contenders, number[]> = { raw: [], golevelup: [], nest: [], ours: [] };
  try {
    for (const [key, contender] of Object.entries(contenders) as [keyof typeof contenders, Contender][]) {
      await consumeOnce(vhost.url, contender, warmUp);
      for (let run = 0; run < settings.runs; run++) results[key].push(await consumeOnce(vhost.url, contender, count));
    }
  } finally {
    await vhost.dispose();
  }
  const rate = (key: keyof typeof contenders) => ({ name: contenders[key].name, value: median(results[key]), samples: results[key] });
  const note = `${count} × ~300-byte persistent messages queued before the consumer starts, prefetch ${PREFETCH}; the handler hashes the todo and resolves`;
  return [
    { group: GROUP, unit: 'events/s', note, ...rate('raw') },
    { group: GROUP, unit: 'events/s', note, ...rate('golevelup'), baseline: rate('raw') },
    { group: GROUP, unit: 'events/s', note, ...rate('nest'), baseline: rate('raw') },
    { group: GROUP, unit: 'events/s', note, ...rate('ours'), baseline: rate('raw') },
  ];
}

export const consumerAckCases: BenchCase[] = [{ id: 'consumer-ack', run: consumerAck }];

if (require.main === module) void runBench(consumerAckCases, 'consumer-ack');
