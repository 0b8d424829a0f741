import { cliDataSource } from '@todo/database/cli-data-source';
import { loadOrderServiceConfig } from '../../config/order-service.config';
import { orderServiceMigrations } from './order-service.migrations';

/** For the TypeORM CLI: `npm run migration:show -- order-service` (and run, revert, create). */
export default cliDataSource(loadOrderServiceConfig, orderServiceMigrations);
