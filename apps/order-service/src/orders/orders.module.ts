import { Module } from '@nestjs/common';
import { CancelOrderHandler } from './commands/cancel-order/cancel-order.handler';
import { CancelOrderHttpController } from './commands/cancel-order/cancel-order.http.controller';
import { PlaceOrderHandler } from './commands/place-order/place-order.handler';
import { PlaceOrderHttpController } from './commands/place-order/place-order.http.controller';
import { OrderViewProjection } from './projections/order-view.projection';
import { GetOrderHandler } from './queries/get-order/get-order.handler';
import { GetOrderHttpController } from './queries/get-order/get-order.http.controller';
import { ListOrdersHandler } from './queries/list-orders/list-orders.handler';
import { ListOrdersHttpController } from './queries/list-orders/list-orders.http.controller';
import { SagaModule } from '../saga/saga.module';
import { KnownSkusProjection } from '../catalog/projections/known-skus.projection';

const controllers = [PlaceOrderHttpController, CancelOrderHttpController, GetOrderHttpController, ListOrdersHttpController];
const commandHandlers = [PlaceOrderHandler, CancelOrderHandler];
const queryHandlers = [GetOrderHandler, ListOrdersHandler];
const projections = [OrderViewProjection, KnownSkusProjection];

@Module({
  imports: [SagaModule],
  controllers,
  providers: [...commandHandlers, ...queryHandlers, ...projections],
})
export class OrdersModule {}
