import { Inject, Injectable } from '@nestjs/common';
import { Causation, OutboxWriter } from '@todo/event-store';
import { CommandType, NewCommand, OrderEvent, PlatformCommand, reservationKey } from '@todo/events';
import { LOGGER, Logger, activeTraceIds, currentTraceCarrier } from '@todo/observability';
import { EntityManager } from 'typeorm';
import { OrderServiceConfig } from '../config/order-service.config';
import { OrderCommand, decide } from '../orders/domain/order.aggregate';
import { OrderNotFoundError } from '../orders/domain/order.errors';
import { OrderRepository } from '../orders/infrastructure/order.repository';
import { SagaInput, SagaTransition, transition } from './domain/order-saga';
import { SagaRepository, SagaRow } from './infrastructure/saga.repository';
import { SagaMetrics } from './saga.metrics';

/**
 * Carries out the saga's decisions (domain/order-saga.ts), all in the caller's transaction
 * — the inbox transaction of the message that caused them, or the deadline's: the order's
 * outcome appended to its stream, the commands queued in the outbox, the saga row moved
 * (at the version it was read at) and the steps recorded. Either all of it commits, or
 * none and the message is tried again. Metrics are counted once it has committed.
 */
@Injectable()
export class OrderSagaOrchestrator {
  constructor(
    private readonly sagas: SagaRepository,
    private readonly orders: OrderRepository,
    private readonly outbox: OutboxWriter,
    private readonly metrics: SagaMetrics,
    private readonly config: OrderServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Applies what happened to the saga of `orderId`; `existing` is the saga row when the caller has read it already. */
  async apply(
    tx: EntityManager,
    orderId: number,
    input: SagaInput,
    causation: Causation,
    afterCommit: (task: () => void) => void,
    existing?: SagaRow,
  ): Promise<SagaTransition & { appended: OrderEvent[] }> {
    const saga = existing ?? (await this.sagas.get(tx, orderId));
    const order = await this.orders.load(tx, orderId);
    if (!order.state) throw new OrderNotFoundError(orderId);
    const resolvedInput = input.kind === 'order-placed' ? { ...input, orderPending: order.state.status === 'pending' } : input;
    const next = transition(saga?.state, resolvedInput);

    // The saga row is written first, the order's stream after: every path that changes a saga (a
    // message, the deadline that holds the row locked, a user's cancel) takes the saga row before
    // the event store's position lock, so two of them wait for each other instead of deadlocking,
    // and the loser fails its version check at once.
    const trail = { steps: next.steps, correlationId: causation.correlationId, traceId: activeTraceIds().trace_id };
    if (!saga) {
      if (input.kind !== 'user-cancelled' || next.steps.length > 0) {
        const deadlineAt = next.state === 'reserving' ? new Date(Date.now() + this.config.ORDER_RESERVATION_TIMEOUT_MS) : null;
        const start = {
          orderId,
          state: next.state,
          deadlineAt,
          correlationId: causation.correlationId,
          traceContext: currentTraceCarrier(),
        };
        await this.sagas.start(tx, start, trail);
      }
    } else if (next.state !== saga.state) {
      await this.sagas.move(tx, orderId, saga.version, next.state, trail);
    } else {
      await this.sagas.record(tx, orderId, trail);
    }
    let appended: OrderEvent[] = [];
    if (next.outcome) {
      const command: OrderCommand =
        next.outcome.kind === 'confirm'
          ? { type: 'ConfirmOrder', orderId }
          : { type: 'CancelOrder', orderId, reason: next.outcome.reason, linesShort: next.outcome.short };
      appended = await this.orders.append(tx, orderId, order.version, decide(command, order.state), causation);
    }
    if (next.commands.length > 0) {
      await this.outbox.send(
        tx,
        next.commands.map((c) => this.command(c, orderId, order.state!.lines)),
        causation,
      );
    }

    afterCommit(() => this.count(saga, next, input));
    this.logger.info(
      { order_id: orderId, from: saga?.state ?? null, to: next.state, input: input.kind, commands: next.commands },
      'Saga step',
    );
    return { ...next, appended };
  }

  private command(kind: 'reserve' | 'release', orderId: number, lines: { sku: string; quantity: number }[]): NewCommand<PlatformCommand> {
    return kind === 'reserve'
      ? { type: CommandType.Inventory.Reserve, version: 1, targetId: reservationKey(orderId), data: { order_id: orderId, lines } }
      : { type: CommandType.Inventory.Release, version: 1, targetId: reservationKey(orderId), data: { order_id: orderId } };
  }

  private count(saga: SagaRow | undefined, next: SagaTransition, input: SagaInput): void {
    if (!saga && next.state === 'reserving') this.metrics.started.inc();
    if (next.compensates) this.metrics.compensated.inc({ reason: input.kind });
    if (input.kind === 'deadline-passed' && next.outcome) this.metrics.timedOut.inc();
    if (next.outcome) {
      const outcome = next.outcome.kind === 'confirm' ? 'confirmed' : 'cancelled';
      this.metrics.completed.inc({ outcome, reason: next.outcome.kind === 'cancel' ? next.outcome.reason : '' });
      if (saga) this.metrics.duration.observe({ outcome }, (Date.now() - new Date(saga.started_at).getTime()) / 1000);
    }
  }
}
