import { Controller, Get, HttpStatus, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, HTTP_API_ERRORS } from '@todo/http-api';
import { ApiSkuParam, SkuPipe } from '../../sku.param';
import { StockResponse } from '../../stock.response';
import { GetStockQuery } from './get-stock.query';

@ApiTags('inventory')
@Controller('inventory')
export class GetStockHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':sku')
  @ApiOperation({ summary: 'Get the stock of a SKU', description: 'Units free to reserve and units held by orders.' })
  @ApiSkuParam()
  @ApiOkResponse({ type: StockResponse, description: 'The SKU as stocked now.' })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED, {
    status: HttpStatus.NOT_FOUND,
    code: 'INVENTORY.UNKNOWN_SKU',
    description: 'no stock is kept for this SKU',
  })
  get(@Param('sku', SkuPipe) sku: string): Promise<StockResponse> {
    return this.queryBus.execute(new GetStockQuery(sku));
  }
}
