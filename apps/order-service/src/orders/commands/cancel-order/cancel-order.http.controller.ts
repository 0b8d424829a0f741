import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { Controller, Param, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorResponses,
  ApiIfMatchHeader,
  ApiPositiveIntParam,
  HTTP_API_ERRORS,
  IfMatch,
  PositiveIntPipe,
  etagHeader,
} from '@todo/http-api';
import { Correlation } from '@todo/observability';
import type { Response } from 'express';
import { ORDER_SERVICE_ERRORS } from '../../../infrastructure/http/order-service.error-statuses';
import { respondWithOrder } from '../order-change';
import { OrderChangeResponse } from '../order-change.response';
import { CancelOrderCommand } from './cancel-order.command';

@ApiTags('orders')
@Controller('orders')
export class CancelOrderHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':id/cancel')
  @ApiOperation({
    summary: 'Cancel a pending order',
    description:
      'Cancels the order (order.cancelled, reason user_cancelled) and ends its saga; when inventory was asked to reserve, ' +
      'inventory.release gives back whatever it reserved. A confirmed or cancelled order stays as it is (409).',
  })
  @ApiPositiveIntParam('id', 'The order.')
  @ApiIfMatchHeader()
  @ApiOkResponse({ type: OrderChangeResponse, description: 'Cancelled.', headers: { ETag: etagHeader('order') } })
  @ApiErrorResponses(
    HTTP_API_ERRORS.VALIDATION_FAILED,
    ORDER_SERVICE_ERRORS['ORDER.NOT_FOUND'],
    ORDER_SERVICE_ERRORS['ORDER.NOT_PENDING'],
    ORDER_SERVICE_ERRORS['ORDER.VERSION_MISMATCH'],
    ORDER_SERVICE_ERRORS['STREAM.CONCURRENT_WRITE'],
  )
  async cancel(
    @Param('id', new PositiveIntPipe('id')) id: number,
    @IfMatch('ORDER.VERSION_MISMATCH') expectedVersion: number | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderChangeResponse> {
    const change = await this.commandBus.execute(new CancelOrderCommand(id, user.id, Correlation.require(), expectedVersion));
    return respondWithOrder(response, change);
  }
}
