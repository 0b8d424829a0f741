import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DispatchLoop, PassResult } from '@todo/event-store';
import { Correlation, LOGGER, Logger, contextFrom, inSpan } from '@todo/observability';
import { DataSource } from 'typeorm';
import { OrderServiceConfig } from '../../config/order-service.config';
import { SagaRepository } from '../infrastructure/saga.repository';
import { OrderSagaOrchestrator } from '../order-saga.orchestrator';

const CLAIM_BATCH = 50;

/**
 * Deadlines are kept in PostgreSQL (order_sagas.deadline_at), not in a broker plugin: on
 * the platform's dispatch loop, every SAGA_DEADLINE_POLL_MS the sagas whose deadline has
 * passed are claimed (a row lock that skips the locked, so instances share them) and
 * timed out — each in a transaction of its own, in the saga's correlation and trace.
 * A reply committing at the same moment either wins the lock first (the deadline then
 * finds the saga ended) or finds the saga moved and is retried.
 */
@Injectable()
export class SagaDeadlineWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: DispatchLoop;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sagas: SagaRepository,
    private readonly orchestrator: OrderSagaOrchestrator,
    config: OrderServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.loop = new DispatchLoop({
      pass: () => this.pass(),
      pollIntervalMs: config.SAGA_DEADLINE_POLL_MS,
      onError: (error) => this.logger.warn({ err: (error as Error).message }, 'Saga deadline sweep failed'),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  private async pass(): Promise<PassResult> {
    const due = await this.sagas.pastDeadline(CLAIM_BATCH);
    if (due.length === 0) return 'empty';
    for (const orderId of due) await this.timeOut(orderId);
    return due.length === CLAIM_BATCH ? 'more' : 'drained';
  }

  private async timeOut(orderId: number): Promise<void> {
    const counted: (() => void)[] = [];
    await this.dataSource.transaction(async (tx) => {
      const saga = await this.sagas.claimPastDeadline(tx, orderId);
      if (!saga) return;
      const causation = { correlationId: saga.correlation_id, causationId: `deadline-${randomUUID()}` };
      await inSpan(
        'saga deadline',
        {
          parent: () => contextFrom(saga.trace_context),
          attributes: { 'todo.correlation_id': saga.correlation_id, 'todo.order_id': orderId },
        },
        () =>
          Correlation.run(causation, () =>
            this.orchestrator.apply(tx, orderId, { kind: 'deadline-passed' }, causation, (task) => counted.push(task), saga),
          ),
      );
    });
    counted.forEach((task) => task());
  }
}
