import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfigModule } from '@todo/config';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStoreModule } from '@todo/event-store';
import { DatabaseReadiness } from '@todo/database';
import { BrokerReadiness, MessagingModule, TODO_EVENTS_EXCHANGE } from '@todo/messaging';
import { HealthModule, Logger, MetricsModule, ObservabilityModule, PlatformMetrics } from '@todo/observability';
import { TodoServiceConfig } from './config/todo-service.config';
import { todoServiceMigrations } from './infrastructure/database/todo-service.migrations';
import { OutboxRelayHost } from './infrastructure/messaging/outbox-relay.host';
import { EventLogModule } from './event-log/event-log.module';
import { TodosModule } from './todos/todos.module';
import { UsersModule } from './users/users.module';

/**
 * Not global on purpose: Nest shuts non-global modules down first, so this service's
 * workers stop before the global connection and pool modules close.
 */
@Module({})
export class TodoServiceModule {
  static forRoot(config: TodoServiceConfig, logger: Logger, metrics: PlatformMetrics): DynamicModule {
    return {
      module: TodoServiceModule,
      imports: [
        ServiceConfigModule.forRoot(TodoServiceConfig, config),
        ObservabilityModule.forRoot(logger),
        MetricsModule.forRoot(metrics),
        EventStoreModule.forRoot({
          database: {
            url: config.DATABASE_URL,
            schema: config.DB_SCHEMA,
            migrations: todoServiceMigrations,
            poolSize: config.DB_POOL_SIZE,
          },
          exchange: TODO_EVENTS_EXCHANGE,
          inbox: { maxBatch: config.INBOX_MAX_BATCH, concurrency: config.INBOX_CONCURRENCY },
        }),
        MessagingModule.forRoot({ url: config.AMQP_URL, connectionName: 'todo-service' }),
        HealthModule.forRoot([DatabaseReadiness, BrokerReadiness]),
        CqrsModule.forRoot(),
        UsersModule,
        TodosModule,
        EventLogModule,
      ],
      providers: [OutboxRelayHost],
    };
  }
}
