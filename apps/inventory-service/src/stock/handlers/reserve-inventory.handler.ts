import { Injectable } from '@nestjs/common';
import { InboxContext, OutboxWriter } from '@todo/event-store';
import {
  CommandType,
  EventType,
  InventoryReserveFailed,
  InventoryReserved,
  RESERVATION_AGGREGATE,
  ReserveInventory,
  reservationKey,
} from '@todo/events';
import { OnCommand } from '@todo/messaging';
import { Correlation } from '@todo/observability';
import { StockRepository } from '../infrastructure/stock.repository';

/** Reserves every line of an order or none, and answers inventory.reserved or inventory.reserve_failed. */
@Injectable()
export class ReserveInventoryHandler {
  constructor(
    private readonly stock: StockRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  @OnCommand(CommandType.Inventory.Reserve)
  async handle(command: ReserveInventory, { tx }: InboxContext): Promise<void> {
    const outcome = await this.stock.reserve(tx, command.order_id, command.lines);
    const common = {
      aggregateId: reservationKey(command.order_id),
      aggregateType: RESERVATION_AGGREGATE,
      aggregateVersion: outcome.version,
    };
    if (outcome.kind === 'reserved') {
      await this.outbox.publish<InventoryReserved>(
        tx,
        [{ type: EventType.Inventory.Reserved, version: 1, ...common, data: { order_id: command.order_id, lines: outcome.lines } }],
        Correlation.require(),
      );
      return;
    }
    await this.outbox.publish<InventoryReserveFailed>(
      tx,
      [
        {
          type: EventType.Inventory.ReserveFailed,
          version: 1,
          ...common,
          data: { order_id: command.order_id, reason: outcome.reason, lines_short: outcome.short },
        },
      ],
      Correlation.require(),
    );
  }
}
