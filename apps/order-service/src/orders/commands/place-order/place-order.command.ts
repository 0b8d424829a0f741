import { Command } from '@nestjs/cqrs';
import { Causation } from '@todo/event-store';
import { OrderLine } from '@todo/events';
import { OrderChange } from '../order-change';

export class PlaceOrderCommand extends Command<OrderChange> {
  constructor(
    readonly userId: number,
    readonly lines: OrderLine[],
    readonly causation: Causation,
  ) {
    super();
  }
}
