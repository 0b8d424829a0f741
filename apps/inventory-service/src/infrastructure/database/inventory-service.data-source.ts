import { cliDataSource } from '@todo/database/cli-data-source';
import { loadInventoryServiceConfig } from '../../config/inventory-service.config';
import { inventoryServiceMigrations } from './inventory-service.migrations';

/** For the TypeORM CLI: `npm run migration:show -- inventory-service` (and run, revert, create). */
export default cliDataSource(loadInventoryServiceConfig, inventoryServiceMigrations);
