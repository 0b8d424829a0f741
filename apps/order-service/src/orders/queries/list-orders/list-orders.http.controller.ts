import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, HTTP_API_ERRORS } from '@todo/http-api';
import { OrderViewResponse } from '../order-view.response';
import { ListOrdersQuery } from './list-orders.query';
import { ListOrdersRequest } from './list-orders.request';

@ApiTags('orders')
@Controller('orders')
export class ListOrdersHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List orders', description: 'A page of the order views, newest first, by user and status.' })
  @ApiOkResponse({ type: [OrderViewResponse], description: 'A page of orders.' })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED)
  list(@Query() request: ListOrdersRequest, @CurrentUser() user: AuthenticatedUser): Promise<OrderViewResponse[]> {
    return this.queryBus.execute(
      new ListOrdersQuery({ userId: user.id, status: request.status, limit: request.limit, offset: request.offset }),
    );
  }
}
