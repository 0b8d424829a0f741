import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfigModule } from '@todo/config';
import { EventStoreModule } from '@todo/event-store';
import { DatabaseReadiness } from '@todo/database';
import { BrokerReadiness, MessagingModule, TODO_EVENTS_EXCHANGE } from '@todo/messaging';
import { HealthModule, Logger, MetricsModule, ObservabilityModule, PlatformMetrics } from '@todo/observability';
import { AnalyticsModule } from './analytics/analytics.module';
import { AnalyticsServiceConfig } from './config/analytics-service.config';
import { analyticsServiceMigrations } from './infrastructure/database/analytics-service.migrations';

/**
 * Not global on purpose: Nest shuts non-global modules down first, so this service's
 * workers stop before the global connection and pool modules close.
 */
@Module({})
export class AnalyticsServiceModule {
  static forRoot(config: AnalyticsServiceConfig, logger: Logger, metrics: PlatformMetrics): DynamicModule {
    return {
      module: AnalyticsServiceModule,
      imports: [
        ServiceConfigModule.forRoot(AnalyticsServiceConfig, config),
        ObservabilityModule.forRoot(logger),
        MetricsModule.forRoot(metrics),
        EventStoreModule.forRoot({
          database: {
            url: config.DATABASE_URL,
            schema: config.DB_SCHEMA,
            migrations: analyticsServiceMigrations,
            poolSize: config.DB_POOL_SIZE,
          },
          exchange: TODO_EVENTS_EXCHANGE,
          inbox: { maxBatch: config.INBOX_MAX_BATCH, concurrency: config.INBOX_CONCURRENCY },
        }),
        MessagingModule.forRoot({ url: config.AMQP_URL, connectionName: 'analytics-service' }),
        HealthModule.forRoot([DatabaseReadiness, BrokerReadiness]),
        AnalyticsModule,
      ],
    };
  }
}
