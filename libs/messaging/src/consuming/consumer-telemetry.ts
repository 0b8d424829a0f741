/*
 * One consumer's whole account of a delivery — its process span, the settle spans beneath it,
 * its log lines and its metrics — kept in one file past 200 lines because all of them share one
 * piece of state: the span and start time of each delivery in flight, which the settle spans
 * and the process-duration metric read when the ack, the requeue or the move finally happens.
 */
import { performance } from 'node:perf_hooks';
import { Context, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { ConsumeMessage } from 'amqplib';
import { MessageMeta } from '@todo/events';
import { Correlation, Logger, PlatformMetrics, contextFrom, endSpan, inSpan, isTracingOn, linkTo, startSpan } from '@todo/observability';
import { MessagingAttributes, SettleOperation, errorTypeOf } from '../telemetry/messaging-attributes';
import { MessagingConventions } from '../telemetry/messaging-conventions';
import { ConsumedMessage, consumedMessage, sendDestination } from '../telemetry/rabbitmq-destinations';
import { ConsumerQueue } from '../topology/platform-topology';
import { ProcessingOutcome } from './message-processing';

/** Why a message failed, as its dead-letter headers and log lines tell it. */
export interface Failure {
  code: string;
  reason: string;
  stack?: string;
}

/** One delivery between its processing and its settlement. */
interface InFlight {
  consumed: ConsumedMessage;
  /** The process span's context (tracing on): its settle spans are its children. */
  context?: Context;
  /** The failure's code when the processing failed. */
  errorType?: string;
}

/**
 * What a consumer tells about each message: its process span (a child of the send span
 * whose `traceparent` the message carries) and settle spans, its correlation scope (every
 * log line inside carries the flow's id), the `Event consumed` line, and the metrics —
 * the platform's `todo_*` and OpenTelemetry's messaging ones. Names and attributes follow
 * the messaging conventions (MessagingConventions).
 */
export class ConsumerTelemetry {
  private readonly inFlight = new WeakMap<ConsumeMessage, InFlight>();

  constructor(
    private readonly consumer: ConsumerQueue,
    private readonly logger: Logger,
    private readonly metrics?: PlatformMetrics,
    private readonly conventions = new MessagingConventions(),
  ) {}

  /** Runs the handling of one message in its process span and, once validated, its correlation scope. */
  async within<T>(message: ConsumeMessage, attempt: number, meta: MessageMeta | undefined, work: () => Promise<T>): Promise<T> {
    const delivery: InFlight = { consumed: consumedMessage(message, this.consumer.queue) };
    this.inFlight.set(message, delivery);
    const metric = this.conventions.processMetric(delivery.consumed);
    this.metrics?.messaging.consumed(metric);
    const startedAt = performance.now();
    const run = meta ? () => Correlation.run({ correlationId: meta.correlationId, causationId: meta.id }, work) : work;
    try {
      if (!isTracingOn()) return await run();
      const span = this.conventions.processSpan(delivery.consumed);
      return await inSpan(
        span.name,
        {
          kind: span.kind,
          parent: () => contextFrom(message.properties.headers),
          links: linkTo,
          attributes: () => ({ ...span.attributes, ...this.platformAttributes(attempt, meta) }),
        },
        async (processSpan) => {
          delivery.context = context.active();
          try {
            return await run();
          } finally {
            if (delivery.errorType) processSpan.setAttribute(MessagingAttributes.ErrorType, delivery.errorType);
          }
        },
      );
    } finally {
      const seconds = (performance.now() - startedAt) / 1000;
      const errorType = delivery.errorType;
      this.metrics?.messaging.processed(errorType ? { ...metric, [MessagingAttributes.ErrorType]: errorType } : metric, seconds);
    }
  }

  /**
   * Starts settling a delivery — an ack, a requeue, or a move to a retry queue or the
   * dead-letter queue — as a span under its process span and an operation duration;
   * the returned function ends both, with the error when the settlement failed.
   */
  settling(
    message: ConsumeMessage,
    operation: SettleOperation,
    movedTo?: { exchange: string; routingKey: string },
  ): (error?: unknown) => void {
    const delivery = this.inFlight.get(message);
    const consumed = delivery?.consumed ?? consumedMessage(message, this.consumer.queue);
    const startedAt = performance.now();
    const span = startSpan(() => {
      const settle = this.conventions.settleSpan(operation, consumed);
      const attributes = movedTo
        ? { ...settle.attributes, 'todo.moved_to': sendDestination(movedTo.exchange, movedTo.routingKey) }
        : settle.attributes;
      return { ...settle, attributes, links: linkTo(contextFrom(message.properties.headers)) };
    }, delivery?.context);
    return (error?: unknown) => {
      const errorType = error === undefined ? undefined : errorTypeOf(error);
      const seconds = (performance.now() - startedAt) / 1000;
      this.metrics?.messaging.operation(this.conventions.settleDurationMetric(operation, consumed, errorType), seconds);
      endSpan(span, errorType === undefined ? undefined : { error, errorType });
      if (operation === 'ack' || operation === 'reject') this.inFlight.delete(message);
    };
  }

  /** The seed's `Event consumed` line, and the consumed / duration metrics. */
  consumed(meta: MessageMeta, handler: string, attempt: number, startedAt: number, outcome: ProcessingOutcome): void {
    const seconds = (performance.now() - startedAt) / 1000;
    this.logger.info(
      {
        event_id: meta.id,
        event_type: meta.type,
        handler,
        processing_time_ms: Math.round(seconds * 100_000) / 100,
        attempt,
        duplicate: outcome === 'duplicate',
      },
      'Event consumed',
    );
    const labels = { consumer: this.consumer.queue, event_type: meta.type };
    this.metrics?.eventsConsumed.inc({ ...labels, outcome });
    this.metrics?.handlerDuration.observe(labels, seconds);
    trace.getActiveSpan()?.setAttributes({ 'todo.handler': handler, 'todo.duplicate': outcome === 'duplicate' });
  }

  failed(message: ConsumeMessage, error: unknown, failure: Failure): void {
    const delivery = this.inFlight.get(message);
    if (delivery) delivery.errorType = failure.code;
    const span = trace.getActiveSpan();
    if (error instanceof Error) span?.recordException(error);
    span?.setStatus({ code: SpanStatusCode.ERROR, message: failure.reason });
  }

  retrying(meta: MessageMeta, handler: string, attempt: number, delayMs: number, failure: Failure): void {
    this.logger.warn(
      { event_id: meta.id, event_type: meta.type, handler, attempt, retry_in_ms: delayMs, err: failure.reason },
      'Event handling failed; retry scheduled',
    );
    this.metrics?.eventsRetried.inc({ consumer: this.consumer.queue, event_type: meta.type });
    trace.getActiveSpan()?.addEvent('retry scheduled', { 'todo.retry_in_ms': delayMs, 'todo.next_attempt': attempt + 1 });
  }

  parked(meta: MessageMeta, dependency: string, delayMs: number, reason: string): void {
    this.logger.warn(
      { event_id: meta.id, event_type: meta.type, dependency, retry_in_ms: delayMs, err: reason },
      'Dependency unavailable; event parked until it is back',
    );
  }

  /** `meta` only when the message was valid: a malformed one must not mint a metric series of its own. */
  deadLettered(message: ConsumeMessage, meta: MessageMeta | undefined, failure: Failure): void {
    this.logger.error(
      { message_id: message.properties.messageId, code: failure.code, reason: failure.reason, queue: this.consumer.deadLetterQueue },
      'Message dead-lettered',
    );
    this.metrics?.eventsDeadLettered.inc({ consumer: this.consumer.queue, event_type: meta?.type ?? 'invalid', code: failure.code });
    const delivery = this.inFlight.get(message);
    if (delivery) delivery.errorType = failure.code;
    const span = trace.getActiveSpan();
    span?.addEvent('dead-lettered', { 'todo.dead_letter_code': failure.code, 'todo.dead_letter_reason': failure.reason });
    span?.setStatus({ code: SpanStatusCode.ERROR, message: `dead-lettered: ${failure.reason}` });
  }

  notMoved(target: { exchange: string; routingKey: string }, error: unknown): void {
    this.logger.warn(
      { err: error instanceof Error ? error.message : String(error), exchange: target.exchange, routing_key: target.routingKey },
      'Could not move message; requeued',
    );
  }

  /** `todo_consumer_queue_depth_messages`: ready messages in the work, retry and dead-letter queues, read at scrape time. */
  registerQueueDepths(depthOf: (queue: string) => Promise<number | undefined>): void {
    const queues = [this.consumer.queue, ...this.consumer.retryQueues.map((r) => r.queue), this.consumer.deadLetterQueue];
    this.metrics?.gauge(
      'todo_consumer_queue_depth_messages',
      "Ready messages in this consumer's work, retry and dead-letter queues",
      ['queue'],
      async (gauge) => {
        gauge.reset();
        for (const queue of queues) {
          const depth = await depthOf(queue);
          if (depth !== undefined) gauge.set({ queue }, depth);
        }
      },
    );
  }

  /** The platform's own attributes on a process span (not in the conventions). */
  private platformAttributes(attempt: number, meta: MessageMeta | undefined): Record<string, string | number | undefined> {
    return {
      'todo.attempt': attempt,
      'todo.service': this.metrics?.service,
      ...(meta
        ? {
            'todo.event_id': meta.id,
            'todo.event_type': meta.type,
            'todo.aggregate_id': meta.key,
            'todo.correlation_id': meta.correlationId,
            'todo.message_kind': meta.kind,
          }
        : {}),
    };
  }
}
