import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseReadiness, EventStoreModule } from '@todo/event-store';
import { BrokerReadiness, MessagingModule, TODO_EVENTS_EXCHANGE } from '@todo/messaging';
import { HealthModule, Logger, ObservabilityModule } from '@todo/observability';
import { NotificationServiceConfig } from './config/notification-service.config';
import { notificationServiceMigrations } from './infrastructure/database/notification-service.migrations';
import { NotificationsModule } from './notifications/notifications.module';
import { RecipientsModule } from './recipients/recipients.module';

@Module({})
export class NotificationServiceModule {
  static forRoot(config: NotificationServiceConfig, logger: Logger): DynamicModule {
    return {
      module: NotificationServiceModule,
      global: true,
      imports: [
        ObservabilityModule.forRoot(logger),
        EventStoreModule.forRoot({
          database: {
            url: config.DATABASE_URL,
            schema: config.DB_SCHEMA,
            migrations: notificationServiceMigrations,
            poolSize: config.DB_POOL_SIZE,
          },
          exchange: TODO_EVENTS_EXCHANGE,
        }),
        MessagingModule.forRoot({ url: config.AMQP_URL, connectionName: 'notification-service' }),
        HealthModule.forRoot([DatabaseReadiness, BrokerReadiness]),
        RecipientsModule,
        NotificationsModule,
      ],
      providers: [{ provide: NotificationServiceConfig, useValue: config }],
      exports: [NotificationServiceConfig],
    };
  }
}
