import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { INestApplication, INestMicroservice } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { ChannelWrapper } from 'amqp-connection-manager';
import { isObservable, lastValueFrom } from 'rxjs';
import { PlatformEvent, parseEvent } from '@todo/events';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Correlation, Logger, PlatformMetrics, contextFrom, inSpan } from '@todo/observability';
import { AmqpConnection } from '../connection/amqp-connection';
import { Headers } from '../headers';
import { declareTopology } from '../topology/declare-topology';
import { ConsumerQueue, Topology, findConsumer } from '../topology/platform-topology';
import { MessageProcessing } from './message-processing';
import { DependencyUnavailableError } from './dependency-unavailable.error';
import { PermanentMessageError } from './permanent-message.error';
import { RabbitContext } from './rabbit-context';
import { AckCoalescer } from './ack-coalescer';

export interface RabbitTransportOptions {
  connection: AmqpConnection;
  topology: Topology;
  /** The consumer queue this service reads. */
  queue: string;
  /** Unacknowledged messages the broker may hand this process at once. */
  prefetch: number;
  processing: MessageProcessing;
  logger: Logger;
  /** How long close() waits for in-flight messages before giving up on them. */
  drainTimeoutMs?: number;
  metrics?: PlatformMetrics;
}

interface Failure {
  code: string;
  reason: string;
  stack?: string;
}

const STACK_LINES_KEPT = 8;
const CONFIRM_TIMEOUT_MS = 10_000;

/**
 * A Nest transport strategy for consuming platform events from RabbitMQ.
 *
 * Unlike the stock RMQ transport it acks only after the handler's work is committed,
 * bounds prefetch, validates every message before dispatch, handles the events of one
 * aggregate one at a time and in arrival order, retries failures through broker-held
 * delay queues and dead-letters with the reason. Handlers are controller
 * methods decorated with `@OnEvent(type)`.
 */
export class RabbitTransport extends Server implements CustomTransportStrategy {
  override readonly transportId = Symbol.for('todo-platform.rabbitmq');
  private readonly consumer: ConsumerQueue;
  private readonly events = new EventEmitter();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly consumerTags = new Map<ConfirmChannel, string>();
  /** Acks per channel (a reconnect brings a new channel, whose delivery tags start again). */
  private readonly ackers = new Map<ConfirmChannel, AckCoalescer>();
  /** Per-aggregate lanes: events of one aggregate are handled one after another, others in parallel. */
  private readonly lanes = new Map<string, Promise<void>>();
  private channel?: ChannelWrapper;
  private closing = false;
  /** Handler per event type, looked up once (event types are validated, so this stays small). */
  private readonly handlers = new Map<string, MessageHandler | null>();

  constructor(private readonly options: RabbitTransportOptions) {
    super();
    this.consumer = findConsumer(options.topology, options.queue);
  }

  /** Attaches this transport to an HTTP app so both run in one process. */
  static connect(app: INestApplication, options: RabbitTransportOptions): INestMicroservice {
    return app.connectMicroservice({ strategy: new RabbitTransport(options) }, { inheritAppConfig: false });
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    const { connection, topology, prefetch, logger } = this.options;
    this.channel = connection.createChannel({
      name: `consumer:${this.consumer.queue}`,
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        await declareTopology(channel, topology);
        connection.topologyReady();
        if (this.closing) return;
        await channel.prefetch(prefetch);
        const acker = new AckCoalescer(channel);
        this.ackers.set(channel, acker);
        channel.once('close', () => this.ackers.delete(channel));
        const { consumerTag } = await channel.consume(
          this.consumer.queue,
          (message) => {
            if (message) {
              acker.received(message);
              this.track(this.handle(channel, message));
            } else logger.error({ queue: this.consumer.queue }, 'Consumer cancelled by the broker');
          },
          { noAck: false },
        );
        this.consumerTags.set(channel, consumerTag);
        channel.once('close', () => this.consumerTags.delete(channel));
        logger.info({ queue: this.consumer.queue, prefetch }, 'Consuming');
      },
    });
    this.options.metrics?.gauge(
      'todo_consumer_queue_depth_messages',
      "Ready messages in this consumer's work, retry and dead-letter queues",
      ['queue'],
      async (gauge) => {
        gauge.reset();
        const queues = [this.consumer.queue, ...this.consumer.retryQueues.map((r) => r.queue), this.consumer.deadLetterQueue];
        for (const queue of queues) {
          const depth = await this.channel?.checkQueue(queue).catch(() => undefined);
          if (depth) gauge.set({ queue }, depth.messageCount);
        }
      },
    );
    this.channel.on('error', (err) => {
      logger.error({ err, queue: this.consumer.queue }, 'Consumer channel error');
      if (this.events.listenerCount('error') > 0) this.events.emit('error', err);
    });
    callback();
  }

  /** Stops taking messages, lets in-flight ones finish and ack, then closes the channel. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const [channel, tag] of this.consumerTags) {
      await channel.cancel(tag).catch(() => undefined);
    }
    const drained = Promise.allSettled([...this.inFlight]);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, this.options.drainTimeoutMs ?? 10_000, 'timeout').unref());
    if ((await Promise.race([drained, timeout])) === 'timeout') {
      this.options.logger.warn({ in_flight: this.inFlight.size }, 'Closing with messages in flight; they will be redelivered');
    }
    for (const acker of this.ackers.values()) acker.flush();
    await this.channel?.close();
  }

  // The signature is Nest's (Server.on), Function type included.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  on<EventKey extends string = string, EventCallback extends Function = Function>(event: EventKey, callback: EventCallback): void {
    this.events.on(event, callback as unknown as (...args: unknown[]) => void);
  }

  unwrap<T>(): T {
    if (!this.channel) throw new Error('RabbitTransport is not listening yet');
    return this.channel as T;
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((err) => this.options.logger.error({ err }, 'Unexpected failure while handling a message'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** A consumer span per delivery, child of the publish span whose `traceparent` the message carries. */
  private traced(message: ConsumeMessage, work: () => Promise<void>): Promise<void> {
    const headers = message.properties.headers ?? {};
    return inSpan(
      // A retried message comes back through the default exchange: name it by where it was first routed.
      `process ${String(headers[Headers.OriginalRoutingKey] ?? message.fields.routingKey)}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextFrom(headers),
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.operation.type': 'process',
          'messaging.destination.name': this.consumer.queue,
          'messaging.consumer.group.name': this.consumer.queue,
          'messaging.message.id': message.properties.messageId,
          'messaging.rabbitmq.destination.routing_key': String(headers[Headers.OriginalRoutingKey] ?? message.fields.routingKey),
          'todo.attempt': attemptOf(message),
          'todo.service': this.options.metrics?.service,
        },
      },
      work,
    );
  }

  private async handle(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const parsed = parseEvent(message.content);
    if (!parsed.ok) {
      return this.traced(message, () => this.deadLetter(channel, message, { code: parsed.rejection, reason: parsed.reason }));
    }
    const event = parsed.event;
    const handler = this.handlerFor(event.event_type);
    if (!handler) {
      return this.traced(message, () =>
        this.deadLetter(channel, message, { code: 'NO_HANDLER', reason: `${this.consumer.queue} has no handler for ${event.event_type}` }),
      );
    }
    await this.inLane(event.aggregate_id, () =>
      this.traced(message, () =>
        Correlation.run({ correlationId: event.correlation_id, causationId: event.event_id }, () =>
          this.dispatch(channel, message, event, handler),
        ),
      ),
    );
  }

  private handlerFor(eventType: string): MessageHandler | null {
    let handler = this.handlers.get(eventType);
    if (handler === undefined) {
      handler = this.getHandlerByPattern(eventType);
      this.handlers.set(eventType, handler);
    }
    return handler;
  }

  private async inLane(key: string, work: () => Promise<void>): Promise<void> {
    const previous = this.lanes.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const settled = current.catch(() => undefined);
    this.lanes.set(key, settled);
    try {
      await current;
    } finally {
      if (this.lanes.get(key) === settled) this.lanes.delete(key);
    }
  }

  private async dispatch(channel: ConfirmChannel, message: ConsumeMessage, event: PlatformEvent, handler: MessageHandler): Promise<void> {
    const attempt = attemptOf(message);
    const handlerName = String(handler.extras?.handler ?? event.event_type);
    const startedAt = performance.now();
    const span = trace.getActiveSpan();
    span?.setAttributes({
      'todo.event_id': event.event_id,
      'todo.event_type': event.event_type,
      'todo.aggregate_id': event.aggregate_id,
      'todo.correlation_id': event.correlation_id,
      'todo.handler': handlerName,
    });
    const labels = { consumer: this.consumer.queue, event_type: event.event_type };
    try {
      const outcome = await this.options.processing.process({ consumer: this.consumer.queue, event }, async (scope) => {
        const result = await handler(event, new RabbitContext([message, scope, attempt]));
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      });
      this.options.logger.info(
        {
          event_id: event.event_id,
          event_type: event.event_type,
          handler: handlerName,
          processing_time_ms: Math.round((performance.now() - startedAt) * 100) / 100,
          attempt,
          duplicate: outcome === 'duplicate',
        },
        'Event consumed',
      );
      this.options.metrics?.eventsConsumed.inc({ ...labels, outcome: outcome });
      this.options.metrics?.handlerDuration.observe(labels, (performance.now() - startedAt) / 1000);
      span?.setAttribute('todo.duplicate', outcome === 'duplicate');
      this.ack(channel, message);
    } catch (error) {
      const failure = describe(error);
      span?.recordException(error as Error);
      span?.setStatus({ code: SpanStatusCode.ERROR, message: failure.reason });
      if (error instanceof DependencyUnavailableError) {
        await this.waitForDependency(channel, message, error, event);
      } else if (error instanceof PermanentMessageError || attempt > this.consumer.retryQueues.length) {
        await this.deadLetter(channel, message, failure);
      } else {
        await this.retryLater(channel, message, attempt, failure, handlerName, event);
      }
    }
  }

  private async retryLater(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    attempt: number,
    failure: Failure,
    handlerName: string,
    event: PlatformEvent,
  ): Promise<void> {
    const retry = this.consumer.retryQueues[attempt - 1];
    const now = new Date().toISOString();
    const headers = {
      ...failureHeaders(message, now),
      [Headers.Attempt]: attempt + 1,
      [Headers.DeadLetterReason]: failure.reason,
    };
    this.options.logger.warn(
      {
        event_id: event.event_id,
        event_type: event.event_type,
        handler: handlerName,
        attempt,
        retry_in_ms: retry.delayMs,
        err: failure.reason,
      },
      'Event handling failed; retry scheduled',
    );
    this.options.metrics?.eventsRetried.inc({ consumer: this.consumer.queue, event_type: event.event_type });
    trace.getActiveSpan()?.addEvent('retry scheduled', { 'todo.retry_in_ms': retry.delayMs, 'todo.next_attempt': attempt + 1 });
    await this.republish(channel, message, '', retry.queue, headers);
  }

  /** Parks the message in the longest retry queue without spending an attempt. */
  private async waitForDependency(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    error: DependencyUnavailableError,
    event: PlatformEvent,
  ): Promise<void> {
    const park = this.consumer.retryQueues[this.consumer.retryQueues.length - 1];
    const headers = {
      ...failureHeaders(message, new Date().toISOString()),
      [Headers.OutageRetries]: Number(message.properties.headers?.[Headers.OutageRetries] ?? 0) + 1,
    };
    this.options.logger.warn(
      {
        event_id: event.event_id,
        event_type: event.event_type,
        dependency: error.dependency,
        retry_in_ms: park.delayMs,
        err: error.message,
      },
      'Dependency unavailable; event parked until it is back',
    );
    await this.republish(channel, message, '', park.queue, headers);
  }

  private async deadLetter(channel: ConfirmChannel, message: ConsumeMessage, failure: Failure): Promise<void> {
    const now = new Date().toISOString();
    const headers = {
      ...failureHeaders(message, now),
      [Headers.Attempt]: attemptOf(message),
      [Headers.DeadLetterConsumer]: this.consumer.queue,
      [Headers.DeadLetterCode]: failure.code,
      [Headers.DeadLetterReason]: failure.reason,
      ...(failure.stack ? { [Headers.DeadLetterStack]: failure.stack } : {}),
    };
    this.options.logger.error(
      { message_id: message.properties.messageId, code: failure.code, reason: failure.reason, queue: this.consumer.deadLetterQueue },
      'Message dead-lettered',
    );
    // Only a validated type becomes a label: a malformed message must not mint new series.
    const parsed = parseEvent(message.content);
    const eventType = parsed.ok ? parsed.event.event_type : 'invalid';
    this.options.metrics?.eventsDeadLettered.inc({ consumer: this.consumer.queue, event_type: eventType, code: failure.code });
    const span = trace.getActiveSpan();
    span?.addEvent('dead-lettered', { 'todo.dead_letter_code': failure.code, 'todo.dead_letter_reason': failure.reason });
    span?.setStatus({ code: SpanStatusCode.ERROR, message: `dead-lettered: ${failure.reason}` });
    await this.republish(channel, message, this.consumer.deadLetterExchange, '', headers);
  }

  /** Moves a message elsewhere: the copy is confirmed by the broker before the original is acked. */
  private async republish(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    exchange: string,
    routingKey: string,
    headers: Record<string, unknown>,
  ): Promise<void> {
    const { properties } = message;
    const options: Options.Publish = {
      persistent: true,
      contentType: properties.contentType,
      messageId: properties.messageId,
      correlationId: properties.correlationId,
      timestamp: properties.timestamp,
      type: properties.type,
      headers,
    };
    await withTimeout(
      new Promise<void>((resolve, reject) =>
        channel.publish(exchange, routingKey, message.content, options, (err) => (err ? reject(err) : resolve())),
      ),
      CONFIRM_TIMEOUT_MS,
    ).then(
      () => this.ack(channel, message),
      (err) => {
        this.options.logger.warn({ err: (err as Error).message, exchange, routing_key: routingKey }, 'Could not move message; requeued');
        // Back to the work queue, so it does not hold a prefetch slot; it keeps its attempt count.
        this.ackers.get(channel)?.requeue(message);
      },
    );
  }

  /** A channel that has closed has no acker any more: the broker redelivers its messages. */
  private ack(channel: ConfirmChannel, message: ConsumeMessage): void {
    this.ackers.get(channel)?.ack(message);
  }
}

function attemptOf(message: ConsumeMessage): number {
  const value = Number(message.properties.headers?.[Headers.Attempt] ?? 1);
  return Number.isSafeInteger(value) && value > 0 ? value : 1;
}

/**
 * Headers every moved copy carries. A message coming back from a retry queue arrives
 * through the default exchange, so where it first came from is kept from its first failure.
 */
function failureHeaders(message: ConsumeMessage, now: string): Record<string, unknown> {
  const headers = message.properties.headers ?? {};
  return {
    ...headers,
    [Headers.FirstFailureAt]: headers[Headers.FirstFailureAt] ?? now,
    [Headers.LastFailureAt]: now,
    [Headers.OriginalRoutingKey]: headers[Headers.OriginalRoutingKey] ?? message.fields.routingKey,
    [Headers.OriginalExchange]: headers[Headers.OriginalExchange] ?? message.fields.exchange,
  };
}

function describe(error: unknown): Failure {
  if (error instanceof Error) {
    return {
      code: error instanceof PermanentMessageError ? error.code : error.name,
      reason: error.message,
      stack: error.stack?.split('\n').slice(0, STACK_LINES_KEPT).join('\n'),
    };
  }
  return { code: 'UNKNOWN', reason: String(error) };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no confirm within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
