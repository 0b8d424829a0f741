import { Injectable } from '@nestjs/common';
import { PlatformMetrics } from '@todo/observability';
import { Counter, Histogram } from 'prom-client';

/** The saga's Prometheus metrics, in the service's registry. */
@Injectable()
export class SagaMetrics {
  readonly started: Counter<string>;
  readonly completed: Counter<'outcome' | 'reason'>;
  readonly compensated: Counter<'reason'>;
  readonly timedOut: Counter<string>;
  readonly duration: Histogram<'outcome'>;

  constructor(metrics: PlatformMetrics) {
    const registers = [metrics.registry];
    this.started = new Counter({ name: 'order_sagas_started_total', help: 'Order sagas started (order.created handled)', registers });
    this.completed = new Counter({
      name: 'order_sagas_completed_total',
      help: 'Order sagas ended, by outcome (confirmed, cancelled) and cancel reason',
      labelNames: ['outcome', 'reason'],
      registers,
    });
    this.compensated = new Counter({
      name: 'order_sagas_compensated_total',
      help: 'Releases the saga sent to give reserved stock back, by why',
      labelNames: ['reason'],
      registers,
    });
    this.timedOut = new Counter({
      name: 'order_sagas_timed_out_total',
      help: 'Sagas whose deadline passed with no answer from inventory',
      registers,
    });
    this.duration = new Histogram({
      name: 'order_saga_duration_seconds',
      help: 'From the saga start to its outcome',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
  }
}
