import { Injectable } from '@nestjs/common';
import { InboxContext } from '@todo/event-store';
import { EventType, InventoryReleased, InventoryReserveFailed, InventoryReserved, OrderCreated } from '@todo/events';
import { OnEvent, PermanentMessageError } from '@todo/messaging';
import { Correlation } from '@todo/observability';
import { SagaInput } from '../domain/order-saga';
import { OrderSagaOrchestrator } from '../order-saga.orchestrator';
import { SagaRepository } from '../infrastructure/saga.repository';

/**
 * The saga's messages: order.created starts it; inventory's replies move it. A reply for
 * a saga that does not exist (no order.created of this service ever started it) cannot be
 * meant for this service: it is dead-lettered with the reason, never guessed at.
 */
@Injectable()
export class OrderSagaHandler {
  constructor(
    private readonly orchestrator: OrderSagaOrchestrator,
    private readonly sagas: SagaRepository,
  ) {}

  @OnEvent(EventType.Order.Created)
  async started(event: OrderCreated, { tx, afterCommit }: InboxContext): Promise<void> {
    await this.orchestrator.apply(tx, event.order_id, { kind: 'order-placed', orderPending: true }, Correlation.require(), afterCommit);
  }

  @OnEvent(EventType.Inventory.Reserved)
  reserved(event: InventoryReserved, context: InboxContext): Promise<void> {
    return this.reply(event.order_id, { kind: 'reserved' }, context);
  }

  @OnEvent(EventType.Inventory.ReserveFailed)
  reserveFailed(event: InventoryReserveFailed, context: InboxContext): Promise<void> {
    return this.reply(event.order_id, { kind: 'reserve-failed', short: event.lines_short }, context);
  }

  @OnEvent(EventType.Inventory.Released)
  released(event: InventoryReleased, context: InboxContext): Promise<void> {
    return this.reply(event.order_id, { kind: 'released' }, context);
  }

  private async reply(orderId: number, input: SagaInput, { tx, afterCommit }: InboxContext): Promise<void> {
    const saga = await this.sagas.get(tx, orderId);
    if (!saga) {
      throw new PermanentMessageError('SAGA.UNKNOWN', `no saga for order ${orderId}: this reply answers nothing order-service asked`);
    }
    // Read once: a change decided on it is checked against its version when written.
    await this.orchestrator.apply(tx, orderId, input, Correlation.require(), afterCommit, saga);
  }
}
