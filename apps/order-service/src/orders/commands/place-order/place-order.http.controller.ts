import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, HTTP_API_ERRORS, etagHeader } from '@todo/http-api';
import { Correlation } from '@todo/observability';
import type { Response } from 'express';
import { ORDER_SERVICE_ERRORS } from '../../../infrastructure/http/order-service.error-statuses';
import { OrderChangeResponse } from '../order-change.response';
import { respondWithOrder } from '../order-change';
import { PlaceOrderCommand } from './place-order.command';
import { PlaceOrderRequest } from './place-order.request';

@ApiTags('orders')
@Controller('orders')
export class PlaceOrderHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Place an order',
    description:
      'Stores order.created and answers at once with the order pending; the saga then asks inventory to reserve every line ' +
      '(all or none) and confirms or cancels the order. Follow it with GET /orders/:id.',
  })
  @ApiCreatedResponse({
    type: OrderChangeResponse,
    description: 'Placed, pending.',
    headers: {
      ETag: etagHeader('order'),
      Location: { description: 'The order: /orders/<id>.', schema: { type: 'string', example: '/orders/1' } },
    },
  })
  @ApiErrorResponses(
    HTTP_API_ERRORS.VALIDATION_FAILED,
    ORDER_SERVICE_ERRORS['ORDER.DUPLICATE_SKU'],
    ORDER_SERVICE_ERRORS['ORDER.UNKNOWN_SKU'],
  )
  async place(
    @Body() body: PlaceOrderRequest,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderChangeResponse> {
    const lines = body.items.map((i) => ({ sku: i.sku, quantity: i.quantity }));
    const change = await this.commandBus.execute(new PlaceOrderCommand(user.id, lines, Correlation.require()));
    response.setHeader('Location', `/orders/${change.order.id}`);
    return respondWithOrder(response, change);
  }
}
