import { DynamicModule, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, Logger } from '@todo/observability';
import { DataSource } from 'typeorm';
import { DatabaseReadiness } from './database.readiness';
import { DatabaseOptions, createDataSource, migrate } from './postgres';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * The service's PostgreSQL schema, migrated before anything else starts, as one
 * injectable `DataSource`; closed last at shutdown (the module is global, and Nest
 * shuts global modules down after the service's own).
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        {
          provide: DataSource,
          inject: [LOGGER],
          useFactory: async (logger: Logger) => {
            const dataSource = createDataSource(options);
            await dataSource.initialize();
            await migrate(dataSource, options.schema, logger);
            return dataSource;
          },
        },
        DataSourceCloser,
        DatabaseReadiness,
      ],
      exports: [DataSource, DatabaseReadiness],
    };
  }
}
