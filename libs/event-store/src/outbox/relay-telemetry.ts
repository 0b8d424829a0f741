import { performance } from 'node:perf_hooks';
import { Span, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { MessagingAttributes, MessagingConventions, PublishOutcome, Topology, destinationOf } from '@todo/messaging';
import { Logger, PlatformMetrics, contextFrom, startSpan } from '@todo/observability';
import { OutboxEntry } from './outbox-table';

/** A batch being published: the trace headers each message carries, and what ends its telemetry. */
export interface Publishing {
  traceHeaders: Record<string, string>[];
  /** Ends each message's send span and records its send, with how the broker answered. */
  end(outcomes: readonly PublishOutcome[]): void;
}

/**
 * What the relay tells: a send span per entry (PRODUCER, the message's creation context),
 * continuing the trace of the request that appended it (its context is stored on the
 * entry), the seed's `Event published` line, the published counter, OpenTelemetry's send
 * metrics, and what it could not publish. Names and attributes follow the messaging
 * conventions (MessagingConventions).
 */
export class RelayTelemetry {
  constructor(
    private readonly topology: Topology,
    private readonly logger: Logger,
    private readonly metrics?: PlatformMetrics,
    private readonly conventions = new MessagingConventions(),
  ) {}

  /** Starts the entries' send spans; `end` them with the broker's answers. */
  startPublishing(entries: readonly OutboxEntry[]): Publishing {
    const startedAt = performance.now();
    const destinations = entries.map((entry) => destinationOf(this.topology, entry.message_kind, entry.message_type));
    const spans: (Span | undefined)[] = [];
    const traceHeaders: Record<string, string>[] = [];
    entries.forEach((entry, i) => {
      const span = startSpan(() => {
        const send = this.conventions.sendSpan({ ...destinations[i], messageId: entry.message_id, correlationId: entry.correlation_id });
        return { ...send, attributes: { ...send.attributes, ...this.platformAttributes(entry) } };
      }, contextFrom(entry.trace_context));
      // With tracing off there is nothing to carry.
      const carrier: Record<string, string> = {};
      if (span) propagation.inject(trace.setSpan(context.active(), span), carrier);
      spans.push(span);
      traceHeaders.push(carrier);
    });
    return {
      traceHeaders,
      end: (outcomes) => {
        const seconds = (performance.now() - startedAt) / 1000;
        outcomes.forEach((outcome, i) => {
          const errorType = outcome.status === 'confirmed' ? undefined : outcome.errorType;
          this.metrics?.messaging.sent(this.conventions.sentMetric(destinations[i], errorType));
          this.metrics?.messaging.operation(this.conventions.sendDurationMetric(destinations[i], errorType), seconds);
          const span = spans[i];
          if (!span) return;
          if (outcome.status !== 'confirmed') {
            span.setAttribute(MessagingAttributes.ErrorType, outcome.errorType);
            span.setStatus({ code: SpanStatusCode.ERROR, message: `${outcome.status}: ${outcome.reason}` });
          }
          span.end();
        });
      },
    };
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

  /** The platform's own attributes on a send span (not in the conventions). */
  private platformAttributes(entry: OutboxEntry): Record<string, string> {
    return {
      'todo.event_id': entry.message_id,
      'todo.event_type': entry.message_type,
      'todo.message_kind': entry.message_kind,
      'todo.aggregate_id': entry.aggregate_id,
      'todo.correlation_id': entry.correlation_id,
      ...(this.metrics ? { 'todo.service': this.metrics.service } : {}),
    };
  }
}
