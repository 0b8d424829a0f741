import { Injectable } from '@nestjs/common';
import { InboxContext } from '@todo/event-store';
import { EventType, InventoryStockSet } from '@todo/events';
import { OnEvent } from '@todo/messaging';

/** The SKUs inventory has stocked, learnt from inventory.stock_set: an order naming another is refused at once. */
@Injectable()
export class KnownSkusProjection {
  @OnEvent(EventType.Inventory.StockSet)
  async apply(event: InventoryStockSet, { tx }: InboxContext): Promise<void> {
    await tx.query(`INSERT INTO known_skus (sku, stocked_at) VALUES ($1, $2) ON CONFLICT (sku) DO NOTHING`, [event.sku, event.occurred_at]);
  }
}
