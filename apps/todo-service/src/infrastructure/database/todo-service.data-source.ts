import { cliDataSource } from '@todo/database/cli-data-source';
import { loadTodoServiceConfig } from '../../config/todo-service.config';
import { todoServiceMigrations } from './todo-service.migrations';

/** For the TypeORM CLI: `npm run migration:show -- todo-service` (and run, revert, create). */
export default cliDataSource(loadTodoServiceConfig, todoServiceMigrations);
