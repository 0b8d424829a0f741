import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DatabaseReadiness, EventStoreModule } from '@todo/event-store';
import { BrokerReadiness, MessagingModule, TODO_EVENTS_EXCHANGE } from '@todo/messaging';
import { HealthModule, Logger, ObservabilityModule } from '@todo/observability';
import { TodoServiceConfig } from './config/todo-service.config';
import { todoServiceMigrations } from './infrastructure/database/todo-service.migrations';
import { OutboxRelayHost } from './infrastructure/messaging/outbox-relay.host';
import { TodosModule } from './todos/todos.module';
import { UsersModule } from './users/users.module';

@Module({})
export class TodoServiceModule {
  static forRoot(config: TodoServiceConfig, logger: Logger): DynamicModule {
    return {
      module: TodoServiceModule,
      global: true,
      imports: [
        ObservabilityModule.forRoot(logger),
        EventStoreModule.forRoot({
          database: {
            url: config.DATABASE_URL,
            schema: config.DB_SCHEMA,
            migrations: todoServiceMigrations,
            poolSize: config.DB_POOL_SIZE,
          },
          exchange: TODO_EVENTS_EXCHANGE,
        }),
        MessagingModule.forRoot({ url: config.AMQP_URL, connectionName: 'todo-service' }),
        HealthModule.forRoot([DatabaseReadiness, BrokerReadiness]),
        CqrsModule.forRoot(),
        UsersModule,
        TodosModule,
      ],
      providers: [{ provide: TodoServiceConfig, useValue: config }, OutboxRelayHost],
      exports: [TodoServiceConfig],
    };
  }
}
