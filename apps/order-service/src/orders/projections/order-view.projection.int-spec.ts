import { EventStore } from '@todo/event-store';
import { EventType, OrderEvent } from '@todo/events';
import { DataSource } from 'typeorm';
import { captureLogs } from '../../../../../test/support/logs';
import { dropSchemas } from '../../../../../test/support/postgres';
import { causation, eventStoreSchema } from '../../../../../test/support/event-store-fixture';
import { orderServiceMigrations } from '../../infrastructure/database/order-service.migrations';
import { OrderViewProjection, projectOrderEvent } from './order-view.projection';

describe('the order view, its outcome first (real PostgreSQL)', () => {
  const store = new EventStore();
  let schema: string;
  const projection = new OrderViewProjection(store);
  let dataSource: DataSource;
  let events: OrderEvent[];
  const lines = [{ sku: 'KB-1', quantity: 2 }];

  beforeAll(async () => {
    ({ schema, dataSource } = await eventStoreSchema('order_view_order', captureLogs('order-view').logger, orderServiceMigrations));
    events = (await dataSource.transaction((tx) =>
      store.append(tx, {
        streamId: 'order-9',
        streamType: 'order',
        expectedVersion: 0,
        causation: causation('order-view-test'),
        events: [
          { type: EventType.Order.Created, version: 1, data: { order_id: 9, user_id: 1, lines } },
          { type: EventType.Order.Confirmed, version: 1, data: { order_id: 9, user_id: 1, lines } },
        ],
      }),
    )) as OrderEvent[];
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (schema) await dropSchemas(schema);
  });

  const view = async () => (await dataSource.query(`SELECT status, version FROM orders WHERE id = 9`))[0];

  it('without the store, an outcome before its order.created fails (and would be retried)', async () => {
    await expect(dataSource.transaction((tx) => projectOrderEvent(tx, events[1]))).rejects.toThrow(/arrived before order.created/);
    expect(await view()).toBeUndefined();
  });

  it('takes order.created from the event store when the outcome overtook it, and skips it when it comes', async () => {
    await dataSource.transaction((tx) => projection.apply(events[1], { tx } as never));
    expect(await view()).toEqual({ status: 'confirmed', version: 2 });
    await dataSource.transaction((tx) => projection.apply(events[0], { tx } as never));
    expect(await view()).toEqual({ status: 'confirmed', version: 2 });
  });
});
