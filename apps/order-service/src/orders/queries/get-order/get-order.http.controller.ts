import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, ApiPositiveIntParam, HTTP_API_ERRORS, PositiveIntPipe, etagHeader, etagOf } from '@todo/http-api';
import type { Response } from 'express';
import { ORDER_SERVICE_ERRORS } from '../../../infrastructure/http/order-service.error-statuses';
import { GetOrderQuery } from './get-order.query';
import { GetOrderRequest } from './get-order.request';
import { OrderDetailsResponse } from './order-details.response';

@ApiTags('orders')
@Controller('orders')
export class GetOrderHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @ApiOperation({
    summary: 'Get an order and its saga',
    description:
      'The order view (pending → confirmed | cancelled with a reason) and its saga: state, deadline and history — every step, ' +
      'command, reply, timeout and compensation with its time, correlation id and trace id.',
  })
  @ApiPositiveIntParam('id', 'The order.')
  @ApiOkResponse({ type: OrderDetailsResponse, description: 'The order.', headers: { ETag: etagHeader('order') } })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED, ORDER_SERVICE_ERRORS['ORDER.NOT_FOUND'], ORDER_SERVICE_ERRORS['ORDER.VIEW_BEHIND'])
  async get(
    @Param('id', new PositiveIntPipe('id')) id: number,
    @Query() request: GetOrderRequest,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderDetailsResponse> {
    const order = await this.queryBus.execute(new GetOrderQuery(id, user.id, request.min_version));
    response.setHeader('ETag', etagOf(order.version));
    return order;
  }
}
