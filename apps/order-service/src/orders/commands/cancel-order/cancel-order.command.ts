import { Command } from '@nestjs/cqrs';
import { Causation } from '@todo/event-store';
import { OrderChange } from '../order-change';

export class CancelOrderCommand extends Command<OrderChange> {
  constructor(
    readonly orderId: number,
    /** The caller, from the token: an order of anyone else is answered as not found. */
    readonly actingUserId: number,
    readonly causation: Causation,
    /** From If-Match: act only if the order is still at this version. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
