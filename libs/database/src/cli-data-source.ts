import { readEnvironment } from '@todo/config';
import { DataSource, MigrationInterface } from 'typeorm';
import { createDataSource } from './postgres';

/**
 * A service's schema and migrations for the TypeORM CLI, configured exactly as the
 * service is (DATABASE_URL, DB_SCHEMA, `.env`). Each service's `<service>.data-source.ts`
 * exports one; `npm run migration:show -- <service>` and the other migration scripts use it.
 */
export function cliDataSource(
  loadConfig: (env: NodeJS.ProcessEnv) => { DATABASE_URL: string; DB_SCHEMA: string },
  migrations: (new () => MigrationInterface)[],
): DataSource {
  const config = loadConfig(readEnvironment());
  return createDataSource({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, migrations, poolSize: 1 });
}
