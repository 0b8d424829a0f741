import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { MessagingClientMetrics } from './messaging-client-metrics';

const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * The Prometheus metrics of one service, in a registry of its own (several services
 * may share a process in tests). Names follow Prometheus conventions: `_total` for
 * counters, base units (`_seconds`) for durations.
 */
export class PlatformMetrics {
  readonly registry = new Registry();

  readonly eventsPublished = new Counter({
    name: 'todo_events_published_total',
    help: 'Events the outbox relay published and the broker confirmed',
    labelNames: ['event_type'] as const,
    registers: [this.registry],
  });

  readonly eventsConsumed = new Counter({
    name: 'todo_events_consumed_total',
    help: 'Events a consumer handled: processed, or recognised as a duplicate',
    labelNames: ['consumer', 'event_type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly eventsRetried = new Counter({
    name: 'todo_events_retried_total',
    help: 'Failed handlings sent to a broker-held retry queue',
    labelNames: ['consumer', 'event_type'] as const,
    registers: [this.registry],
  });

  readonly eventsDeadLettered = new Counter({
    name: 'todo_events_dead_lettered_total',
    help: 'Messages moved to a dead-letter queue, by reason code',
    labelNames: ['consumer', 'event_type', 'code'] as const,
    registers: [this.registry],
  });

  readonly handlerDuration = new Histogram({
    name: 'todo_event_handler_duration_seconds',
    help: 'Time from taking a message to committing its effect',
    labelNames: ['consumer', 'event_type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** OpenTelemetry's messaging client metrics (send, settle, consume, process), for the messaging library to record. */
  readonly messaging = new MessagingClientMetrics(this.registry);

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    // prom-client also exports these three totals as gauges with a counter's `_total`
    // suffix, which Prometheus' checker refuses; the same figures by type remain as
    // `nodejs_active_handles`, `nodejs_active_requests` and `nodejs_active_resources`.
    for (const name of MISNAMED_DEFAULT_GAUGES) this.registry.removeSingleMetric(name);
  }

  /** A gauge read when Prometheus scrapes, e.g. a queue depth or the outbox backlog. */
  gauge(name: string, help: string, labelNames: string[], collect: (gauge: Gauge<string>) => Promise<void>): void {
    const existing = this.registry.getSingleMetric(name);
    if (existing) this.registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect(this);
      },
    });
  }
}
