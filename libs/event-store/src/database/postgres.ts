import { DataSource, MigrationInterface } from 'typeorm';
import { Logger } from '@todo/observability';
import { PreparingClient } from './preparing-client';
import { quoteIdent } from './quote-ident';

export interface DatabaseOptions {
  url: string;
  /** Each service owns one schema; tests use a fresh one per run. */
  schema: string;
  migrations: (new () => MigrationInterface)[];
  poolSize?: number;
}

/** A TypeORM data source confined to the service's schema. Migrations only, never synchronize. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // Repeated statements (inbox, append, read-model writes) are prepared once per connection.
    extra: { max: options.poolSize ?? 10, options: `-c search_path=${options.schema}`, Client: PreparingClient },
  });
}

/**
 * Creates the schema and applies pending migrations. Instances starting together
 * take turns through an advisory lock, so the schema is migrated exactly once.
 */
export async function migrate(dataSource: DataSource, schema: string, logger: Logger): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const lockKey = `${schema}.migrations`;
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    logger.info({ schema, applied: applied.map((m) => m.name) }, 'Database migrated');
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
    await runner.release();
  }
}
