import { Body, Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '@todo/auth';
import { ApiErrorResponses, HTTP_API_ERRORS } from '@todo/http-api';
import { ApiSkuParam, SkuPipe } from '../../sku.param';
import { StockResponse } from '../../stock.response';
import { SetStockCommand } from './set-stock.command';
import { SetStockRequest } from './set-stock.request';

@ApiTags('inventory')
@Controller('inventory')
export class SetStockHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':sku')
  @RequireRole('admin')
  @ApiOperation({
    summary: 'Stock a SKU',
    description: 'Sets how many units of a SKU are free to reserve; what orders hold already stays reserved.',
  })
  @ApiSkuParam()
  @ApiOkResponse({ type: StockResponse, description: 'The SKU as stocked now.' })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED)
  set(@Param('sku', SkuPipe) sku: string, @Body() body: SetStockRequest): Promise<StockResponse> {
    return this.commandBus.execute(new SetStockCommand(sku, body.available));
  }
}
