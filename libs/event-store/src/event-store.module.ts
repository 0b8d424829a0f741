import { DynamicModule, Module } from '@nestjs/common';
import { MessageProcessing } from '@todo/messaging';
import { JourneyRecorder, LOGGER, Logger } from '@todo/observability';
import { DataSource } from 'typeorm';
import { Inbox, InboxOptions } from './inbox/inbox';
import { JourneyLog } from './journey/journey-log';
import { EventAppender } from './store/event-appender';
import { EventStore } from './store/event-store';
import { OutboxWriter } from './outbox/outbox-writer';

export interface EventStoreModuleOptions {
  /** The service whose schema this is: it names the journey steps it records. */
  service: string;
  /** Group commit of the consumer's inbox. */
  inbox?: InboxOptions;
}

/**
 * The event store, its appender and the inbox, on the service's schema (the
 * `DataSource` of DatabaseModule). The inbox is also the consumer's `MessageProcessing`;
 * the journey log is where the service notes its steps of each flow.
 */
@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions): DynamicModule {
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
        {
          provide: JourneyLog,
          inject: [DataSource, LOGGER],
          useFactory: (dataSource: DataSource, logger: Logger) => new JourneyLog(dataSource, options.service, logger),
        },
        { provide: JourneyRecorder, useExisting: JourneyLog },
        OutboxWriter,
      ],
      exports: [EventStore, EventAppender, Inbox, MessageProcessing, JourneyLog, JourneyRecorder, OutboxWriter],
    };
  }
}
