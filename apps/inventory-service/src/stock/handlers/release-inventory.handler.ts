import { Injectable } from '@nestjs/common';
import { InboxContext, OutboxWriter } from '@todo/event-store';
import { CommandType, EventType, InventoryReleased, RESERVATION_AGGREGATE, ReleaseInventory, reservationKey } from '@todo/events';
import { OnCommand } from '@todo/messaging';
import { Correlation } from '@todo/observability';
import { StockRepository } from '../infrastructure/stock.repository';

/** Gives back what an order reserved (the saga's compensation) and answers inventory.released. */
@Injectable()
export class ReleaseInventoryHandler {
  constructor(
    private readonly stock: StockRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  @OnCommand(CommandType.Inventory.Release)
  async handle(command: ReleaseInventory, { tx }: InboxContext): Promise<void> {
    const outcome = await this.stock.release(tx, command.order_id);
    await this.outbox.publish<InventoryReleased>(
      tx,
      [
        {
          type: EventType.Inventory.Released,
          version: 1,
          aggregateId: reservationKey(command.order_id),
          aggregateType: RESERVATION_AGGREGATE,
          aggregateVersion: outcome.version,
          data: { order_id: command.order_id, lines: outcome.lines },
        },
      ],
      Correlation.require(),
    );
  }
}
