import { RebuildableReadModel } from '@todo/event-store';
import { OrderEvent } from '@todo/events';
import { projectOrderFact } from './order-facts.projection';

/** The order figures, rebuildable from order-service's event stream: `rebuild order-analytics`. */
export const orderAnalyticsReadModel: RebuildableReadModel = {
  name: 'order-analytics',
  tables: ['order_facts'],
  apply: async (tx, event, tables) => {
    if (event.aggregate_type === 'order') await projectOrderFact(tx, event as OrderEvent, tables.order_facts);
  },
};
