import { Command } from '@nestjs/cqrs';
import { Causation } from '@todo/event-store';
import { OrderChange } from '../order-change';

export class CancelOrderCommand extends Command<OrderChange> {
  constructor(
    readonly orderId: number,
    readonly causation: Causation,
    /** From If-Match: act only if the order is still at this version. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
