import { StoreEventSource, EventStore } from '@todo/event-store';
import { EventType } from '@todo/events';
import { ORDER_QUEUE } from '@todo/messaging';
import { defineService } from '@todo/service';
import { OrderServiceConfig } from './config/order-service.config';
import { orderServiceMigrations } from './infrastructure/database/order-service.migrations';
import { ORDER_SERVICE_ERROR_STATUSES } from './infrastructure/http/order-service.error-statuses';
import { OrdersModule } from './orders/orders.module';
import { orderViewsReadModel } from './orders/projections/order-views.read-model';

/**
 * order-service: event-sourced orders, and the saga that coordinates each with
 * inventory-service — reserve, then confirm; or cancel, on a refusal, a deadline or the
 * user's word, giving back what was reserved.
 */
export const orderService = defineService({
  name: 'order-service',
  config: OrderServiceConfig,
  migrations: orderServiceMigrations,
  modules: [OrdersModule],
  consumer: ORDER_QUEUE,
  outbox: true,
  eventLog: [EventType.Order.Created, EventType.Order.Confirmed, EventType.Order.Cancelled],
  http: {
    description:
      'Takes orders and sees each one through: an order is placed pending, then a saga persisted in PostgreSQL asks ' +
      'inventory-service to reserve its lines and confirms it, or cancels it — out of stock, no answer before its ' +
      'deadline, or the user cancelling — giving back whatever was reserved. Orders are event-sourced; each order shows ' +
      'its saga with every step it took.',
    tags: {
      orders: 'Placing and cancelling orders, and reading them with their saga.',
      events: 'The event store read back: the global stream in commit order, and one business flow by correlation id.',
    },
    errorStatuses: ORDER_SERVICE_ERROR_STATUSES,
  },
  readModels: () => [{ model: orderViewsReadModel, source: (dataSource) => new StoreEventSource(dataSource, new EventStore()) }],
});
