import { INVALID_SPAN_CONTEXT, Span, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { PublishOutcome, Topology, destinationOf } from '@todo/messaging';
import { Logger, PlatformMetrics, TRACER_NAME, contextFrom, isTracingOn } from '@todo/observability';

const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
import { OutboxEntry } from './outbox-table';

/**
 * What the relay tells: a producer span per entry, continuing the trace of the request
 * that appended it (its context is stored on the entry), the seed's `Event published`
 * line, the published counter, and what it could not publish.
 */
export class RelayTelemetry {
  constructor(
    private readonly topology: Topology,
    private readonly logger: Logger,
    private readonly metrics?: PlatformMetrics,
  ) {}

  /** Starts the entries' publish spans; returns them with the trace headers each message carries. */
  startPublishing(entries: readonly OutboxEntry[]): { spans: Span[]; traceHeaders: Record<string, string>[] } {
    // With tracing off there is nothing to start and nothing to carry.
    if (!isTracingOn()) return { spans: entries.map(() => NO_SPAN), traceHeaders: entries.map(() => ({})) };
    const tracer = trace.getTracer(TRACER_NAME);
    const spans: Span[] = [];
    const traceHeaders: Record<string, string>[] = [];
    for (const entry of entries) {
      const { exchange, routingKey } = destinationOf(this.topology, entry.message_kind, entry.message_type);
      const span = tracer.startSpan(
        `publish ${entry.message_type}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'rabbitmq',
            'messaging.operation.type': 'send',
            'messaging.destination.name': exchange,
            'messaging.rabbitmq.destination.routing_key': routingKey,
            'messaging.message.id': entry.message_id,
            'todo.event_id': entry.message_id,
            'todo.event_type': entry.message_type,
            'todo.message_kind': entry.message_kind,
            'todo.aggregate_id': entry.aggregate_id,
            'todo.correlation_id': entry.correlation_id,
            ...(this.metrics ? { 'todo.service': this.metrics.service } : {}),
          },
        },
        contextFrom(entry.trace_context),
      );
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), span), carrier);
      spans.push(span);
      traceHeaders.push(carrier);
    }
    return { spans, traceHeaders };
  }

  endPublishing(spans: readonly Span[], outcomes: readonly PublishOutcome[]): void {
    outcomes.forEach((outcome, i) => {
      if (outcome.status !== 'confirmed')
        spans[i].setStatus({ code: SpanStatusCode.ERROR, message: `${outcome.status}: ${outcome.reason}` });
      spans[i].end();
    });
  }

  published(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      this.metrics?.eventsPublished.inc({ event_type: entry.message_type });
      this.logger.info(
        {
          event_id: entry.message_id,
          event_type: entry.message_type,
          message_kind: entry.message_kind,
          aggregate_id: entry.aggregate_id,
          correlation_id: entry.correlation_id,
        },
        entry.message_kind === 'command' ? 'Command sent' : 'Event published',
      );
    }
  }

  notPublished(failed: readonly { entry: OutboxEntry; reason: string }[]): void {
    this.logger.warn(
      { failed: failed.length, event_ids: failed.slice(0, 10).map((f) => f.entry.message_id), reason: failed[0].reason },
      'Outbox entries not published; each backs off on its own',
    );
  }

  brokerAway(waiting: number): void {
    this.logger.warn({ waiting }, 'Broker unavailable; outbox entries wait');
  }

  connectionLost(error: unknown): void {
    this.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'Outbox relay lost its database connection; retrying',
    );
  }

  drainStopped(error: unknown): void {
    this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'Outbox drain stopped early; entries stay queued');
  }
}
