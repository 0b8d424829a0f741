import { DynamicModule, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, Logger } from '@todo/observability';
import { DataSource } from 'typeorm';
import { DatabaseOptions, createDataSource, migrate } from '@todo/database';
import { Inbox, InboxOptions } from './inbox/inbox';
import { EventStore } from './store/event-store';
import { EventAppender } from './store/event-appender';

export interface EventStoreModuleOptions {
  database: DatabaseOptions;
  /** Exchange that appended events are published to by the outbox relay. */
  exchange: string;
  /** Group commit of the consumer's inbox. */
  inbox?: InboxOptions;
}

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * The service's PostgreSQL schema — migrated before anything else starts — with the
 * event store and the inbox on top of it.
 */
@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        {
          provide: DataSource,
          inject: [LOGGER],
          useFactory: async (logger: Logger) => {
            const dataSource = createDataSource(options.database);
            await dataSource.initialize();
            await migrate(dataSource, options.database.schema, logger);
            return dataSource;
          },
        },
        { provide: EventStore, useValue: new EventStore(options.exchange) },
        {
          provide: EventAppender,
          inject: [DataSource, EventStore],
          useFactory: (dataSource: DataSource, store: EventStore) => new EventAppender(dataSource, store),
        },
        {
          provide: Inbox,
          inject: [DataSource, LOGGER],
          useFactory: (dataSource: DataSource, logger: Logger) => new Inbox(dataSource, logger, options.inbox),
        },
        DataSourceCloser,
      ],
      exports: [DataSource, EventStore, EventAppender, Inbox],
    };
  }
}
