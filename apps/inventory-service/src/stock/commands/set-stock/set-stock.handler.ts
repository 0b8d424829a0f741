import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { OutboxWriter } from '@todo/event-store';
import { EventType, InventoryStockSet, STOCK_AGGREGATE, stockKey } from '@todo/events';
import { Correlation } from '@todo/observability';
import { DataSource } from 'typeorm';
import { StockLevel, StockRepository } from '../../infrastructure/stock.repository';
import { SetStockCommand } from './set-stock.command';

/** Stocks a SKU and tells the platform (inventory.stock_set), in one transaction. */
@CommandHandler(SetStockCommand)
export class SetStockHandler implements ICommandHandler<SetStockCommand, StockLevel> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stock: StockRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  execute({ sku, available }: SetStockCommand): Promise<StockLevel> {
    return this.dataSource.transaction(async (tx) => {
      const { version, ...level } = await this.stock.set(tx, sku, available);
      await this.outbox.publish<InventoryStockSet>(
        tx,
        [
          {
            type: EventType.Inventory.StockSet,
            version: 1,
            aggregateId: stockKey(sku),
            aggregateType: STOCK_AGGREGATE,
            aggregateVersion: version,
            data: { sku, available },
          },
        ],
        Correlation.require(),
      );
      return level;
    });
  }
}
