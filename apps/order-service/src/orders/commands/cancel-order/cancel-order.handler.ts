import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ConcurrencyError } from '@todo/event-store';
import { DataSource } from 'typeorm';
import { evolve } from '../../domain/order.aggregate';
import { OrderNotFoundError, OrderNotPendingError, OrderVersionMismatchError } from '../../domain/order.errors';
import { OrderRepository, toOrderDomainEvent } from '../../infrastructure/order.repository';
import { SagaConflictError } from '../../../saga/infrastructure/saga.repository';
import { OrderSagaOrchestrator } from '../../../saga/order-saga.orchestrator';
import { OrderChange } from '../order-change';
import { CancelOrderCommand } from './cancel-order.command';

const CONFLICT_RETRIES = 3;

/**
 * The user cancels a pending order: a compensation like the saga's own — in one
 * transaction the order is cancelled, the saga ends and, when it had asked inventory,
 * inventory.release is sent. When the saga moves at the same moment, decide again.
 */
@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand, OrderChange> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrderRepository,
    private readonly saga: OrderSagaOrchestrator,
  ) {}

  async execute({ orderId, actingUserId, causation, expectedVersion }: CancelOrderCommand): Promise<OrderChange> {
    for (let attempt = 1; ; attempt++) {
      const counted: (() => void)[] = [];
      try {
        const change = await this.dataSource.transaction(async (tx) => {
          const before = await this.orders.load(tx, orderId);
          if (!before.state || before.state.userId !== actingUserId) throw new OrderNotFoundError(orderId);
          if (expectedVersion !== undefined && expectedVersion !== before.version) {
            throw new OrderVersionMismatchError(orderId, expectedVersion, before.version);
          }
          if (before.state.status !== 'pending') throw new OrderNotPendingError(orderId, before.state.status);
          const { appended } = await this.saga.apply(tx, orderId, { kind: 'user-cancelled' }, causation, (task) => counted.push(task));
          const state = appended.map(toOrderDomainEvent).reduce(evolve, before.state);
          return { order: state!, version: before.version + appended.length, events: appended };
        });
        counted.forEach((task) => task());
        return change;
      } catch (error) {
        const retriable = error instanceof ConcurrencyError || error instanceof SagaConflictError;
        if (!retriable || attempt >= CONFLICT_RETRIES) throw error;
      }
    }
  }
}
