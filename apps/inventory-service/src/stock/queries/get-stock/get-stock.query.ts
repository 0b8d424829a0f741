import { Query } from '@nestjs/cqrs';
import { StockLevel } from '../../infrastructure/stock.repository';

export class GetStockQuery extends Query<StockLevel> {
  constructor(readonly sku: string) {
    super();
  }
}
