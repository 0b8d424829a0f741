import { cliDataSource } from '@todo/database/cli-data-source';
import { loadAnalyticsServiceConfig } from '../../config/analytics-service.config';
import { analyticsServiceMigrations } from './analytics-service.migrations';

/** For the TypeORM CLI: `npm run migration:show -- analytics-service` (and run, revert, create). */
export default cliDataSource(loadAnalyticsServiceConfig, analyticsServiceMigrations);
