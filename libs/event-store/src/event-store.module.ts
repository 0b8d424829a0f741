import { DynamicModule, Module } from '@nestjs/common';
import { MessageProcessing } from '@todo/messaging';
import { LOGGER, Logger } from '@todo/observability';
import { DataSource } from 'typeorm';
import { Inbox, InboxOptions } from './inbox/inbox';
import { EventAppender } from './store/event-appender';
import { EventStore } from './store/event-store';
import { OutboxWriter } from './outbox/outbox-writer';

export interface EventStoreModuleOptions {
  /** Group commit of the consumer's inbox. */
  inbox?: InboxOptions;
}

/**
 * The event store, its appender and the inbox, on the service's schema (the
 * `DataSource` of DatabaseModule). The inbox is also the consumer's `MessageProcessing`.
 */
@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions = {}): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [
        { provide: EventStore, useValue: new EventStore() },
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
        { provide: MessageProcessing, useExisting: Inbox },
        OutboxWriter,
      ],
      exports: [EventStore, EventAppender, Inbox, MessageProcessing, OutboxWriter],
    };
  }
}
