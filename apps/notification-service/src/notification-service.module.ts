import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfigModule } from '@todo/config';
import { EventStoreModule } from '@todo/event-store';
import { DatabaseReadiness } from '@todo/database';
import { BrokerReadiness, MessagingModule, TODO_EVENTS_EXCHANGE } from '@todo/messaging';
import { HealthModule, Logger, MetricsModule, ObservabilityModule, PlatformMetrics } from '@todo/observability';
import { NotificationServiceConfig } from './config/notification-service.config';
import { notificationServiceMigrations } from './infrastructure/database/notification-service.migrations';
import { NotificationsModule } from './notifications/notifications.module';
import { RecipientsModule } from './recipients/recipients.module';

/**
 * Not global on purpose: Nest shuts non-global modules down first, so this service's
 * workers stop before the global connection and pool modules close.
 */
@Module({})
export class NotificationServiceModule {
  static forRoot(config: NotificationServiceConfig, logger: Logger, metrics: PlatformMetrics): DynamicModule {
    return {
      module: NotificationServiceModule,
      imports: [
        ServiceConfigModule.forRoot(NotificationServiceConfig, config),
        ObservabilityModule.forRoot(logger),
        MetricsModule.forRoot(metrics),
        EventStoreModule.forRoot({
          database: {
            url: config.DATABASE_URL,
            schema: config.DB_SCHEMA,
            migrations: notificationServiceMigrations,
            poolSize: config.DB_POOL_SIZE,
          },
          exchange: TODO_EVENTS_EXCHANGE,
          inbox: { maxBatch: config.INBOX_MAX_BATCH, concurrency: config.INBOX_CONCURRENCY },
        }),
        MessagingModule.forRoot({ url: config.AMQP_URL, connectionName: 'notification-service' }),
        HealthModule.forRoot([DatabaseReadiness, BrokerReadiness]),
        RecipientsModule,
        NotificationsModule,
      ],
    };
  }
}
