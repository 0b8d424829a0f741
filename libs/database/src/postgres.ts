import { DataSource, MigrationInterface } from 'typeorm';
import { Logger } from '@todo/observability';
import { PreparingClient } from './preparing-client';
import { quoteIdent } from './quote-ident';
import { isUniqueViolation } from './database-errors';

export interface DatabaseOptions {
  url: string;
  /** Each service owns one schema; tests use a fresh one per run. */
  schema: string;
  migrations: (new () => MigrationInterface)[];
  poolSize?: number;
}

/**
 * A data source confined to one schema, which it creates on connect when it is missing:
 * the TypeORM CLI's migration commands expect the schema of their migrations table to
 * exist. (Existence is checked first, so a role that owns its schema but may not create
 * schemas still connects.)
 */
class SchemaDataSource extends DataSource {
  override async initialize(): Promise<this> {
    await super.initialize();
    const schema = String(this.options.type === 'postgres' ? this.options.schema : '');
    const [{ present }] = await this.query(`SELECT count(*) > 0 AS present FROM pg_namespace WHERE nspname = $1`, [schema]);
    if (!present) {
      await this.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`).catch((error: unknown) => {
        // Another instance created it in the same moment: it exists, which is all that matters.
        if (!isUniqueViolation(error)) throw error;
      });
    }
    return this;
  }
}

/**
 * A TypeORM data source confined to the service's schema (created when missing).
 * Migrations only, never synchronize. Each service also exports one for the TypeORM CLI
 * (`<service>.data-source.ts`; `npm run migration:show -- <service>`).
 */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new SchemaDataSource({
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
 * Applies pending migrations at start-up. Instances starting together take turns
 * through an advisory lock, so the schema is migrated exactly once.
 */
export async function migrate(dataSource: DataSource, schema: string, logger: Logger): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const lockKey = `${schema}.migrations`;
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    logger.info({ schema, applied: applied.map((m) => m.name) }, 'Database migrated');
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
    await runner.release();
  }
}
