import { Command } from '@nestjs/cqrs';
import { StockLevel } from '../../infrastructure/stock.repository';

export class SetStockCommand extends Command<StockLevel> {
  constructor(
    readonly sku: string,
    readonly available: number,
  ) {
    super();
  }
}
