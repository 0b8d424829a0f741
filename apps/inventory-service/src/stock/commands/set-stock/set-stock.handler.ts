import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StockLevel, StockRepository } from '../../infrastructure/stock.repository';
import { SetStockCommand } from './set-stock.command';

@CommandHandler(SetStockCommand)
export class SetStockHandler implements ICommandHandler<SetStockCommand, StockLevel> {
  constructor(private readonly stock: StockRepository) {}

  execute({ sku, available }: SetStockCommand): Promise<StockLevel> {
    return this.stock.set(sku, available);
  }
}
