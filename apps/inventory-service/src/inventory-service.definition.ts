import { INVENTORY_QUEUE } from '@todo/messaging';
import { defineService } from '@todo/service';
import { InventoryServiceConfig } from './config/inventory-service.config';
import { inventoryServiceMigrations } from './infrastructure/database/inventory-service.migrations';
import { INVENTORY_SERVICE_ERROR_STATUSES } from './infrastructure/http/inventory-service.error-statuses';
import { StockModule } from './stock/stock.module';

/** inventory-service: stock per SKU; takes inventory.reserve and inventory.release, and answers with events. */
export const inventoryService = defineService({
  name: 'inventory-service',
  config: InventoryServiceConfig,
  migrations: inventoryServiceMigrations,
  modules: [StockModule],
  consumer: INVENTORY_QUEUE,
  outbox: true,
  http: {
    description:
      'Keeps the stock of every SKU (an admin sets it) and is the only one to change it: reserves the lines of an order ' +
      'all or none when order-service asks with inventory.reserve, gives them back on inventory.release, and answers each ' +
      'command with an event. Stock is never negative, whatever the number of orders racing for it.',
    tags: { inventory: 'Stocking SKUs and reading their stock.' },
    errorStatuses: INVENTORY_SERVICE_ERROR_STATUSES,
  },
});
