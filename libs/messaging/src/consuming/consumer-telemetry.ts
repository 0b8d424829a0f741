import { performance } from 'node:perf_hooks';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ConsumeMessage } from 'amqplib';
import { MessageMeta } from '@todo/events';
import { Correlation, Logger, PlatformMetrics, contextFrom, inSpan } from '@todo/observability';
import { Headers } from '../headers';
import { ConsumerQueue } from '../topology/platform-topology';
import { ProcessingOutcome } from './message-processing';

/** Why a message failed, as its dead-letter headers and log lines tell it. */
export interface Failure {
  code: string;
  reason: string;
  stack?: string;
}

/**
 * What a consumer tells about each message: its span (a child of the publish span whose
 * `traceparent` the message carries), its correlation scope (every log line inside
 * carries the flow's id), the `Event consumed` line, and the metrics.
 */
export class ConsumerTelemetry {
  constructor(
    private readonly consumer: ConsumerQueue,
    private readonly logger: Logger,
    private readonly metrics?: PlatformMetrics,
  ) {}

  /** Runs the handling of one message in its consumer span and, once validated, its correlation scope. */
  within<T>(message: ConsumeMessage, attempt: number, meta: MessageMeta | undefined, work: () => Promise<T>): Promise<T> {
    const headers = message.properties.headers ?? {};
    // A retried message comes back through the default exchange: name it by where it was first routed.
    const routingKey = String(headers[Headers.OriginalRoutingKey] ?? message.fields.routingKey);
    const run = meta ? () => Correlation.run({ correlationId: meta.correlationId, causationId: meta.id }, work) : work;
    return inSpan(
      `process ${routingKey}`,
      {
        kind: SpanKind.CONSUMER,
        parent: () => contextFrom(headers),
        attributes: () => ({
          'messaging.system': 'rabbitmq',
          'messaging.operation.type': 'process',
          'messaging.destination.name': this.consumer.queue,
          'messaging.consumer.group.name': this.consumer.queue,
          'messaging.message.id': message.properties.messageId,
          'messaging.rabbitmq.destination.routing_key': routingKey,
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
        }),
      },
      run,
    );
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

  failed(error: unknown, failure: Failure): void {
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
}
