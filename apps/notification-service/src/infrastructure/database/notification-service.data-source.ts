import { cliDataSource } from '@todo/database/cli-data-source';
import { loadNotificationServiceConfig } from '../../config/notification-service.config';
import { notificationServiceMigrations } from './notification-service.migrations';

/** For the TypeORM CLI: `npm run migration:show -- notification-service` (and run, revert, create). */
export default cliDataSource(loadNotificationServiceConfig, notificationServiceMigrations);
