import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { UnknownSkuError } from '../../domain/stock.errors';
import { StockLevel, StockRepository } from '../../infrastructure/stock.repository';
import { GetStockQuery } from './get-stock.query';

@QueryHandler(GetStockQuery)
export class GetStockHandler implements IQueryHandler<GetStockQuery, StockLevel> {
  constructor(private readonly stock: StockRepository) {}

  async execute({ sku }: GetStockQuery): Promise<StockLevel> {
    const level = await this.stock.get(sku);
    if (!level) throw new UnknownSkuError(sku);
    return level;
  }
}
