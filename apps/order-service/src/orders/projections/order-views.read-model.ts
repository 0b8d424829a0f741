import { RebuildableReadModel } from '@todo/event-store';
import { OrderEvent } from '@todo/events';
import { projectOrderEvent } from './order-view.projection';

/** The `orders` view, rebuildable from the event store: `rebuild order-views`. */
export const orderViewsReadModel: RebuildableReadModel = {
  name: 'order-views',
  tables: ['orders'],
  apply: async (tx, event, tables) => {
    if (event.aggregate_type === 'order') await projectOrderEvent(tx, event as OrderEvent, tables.orders);
  },
};
