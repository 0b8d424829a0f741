import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseReadiness, EventStoreModule } from '@todo/event-store';
import { BrokerReadiness, MessagingModule, TODO_EVENTS_EXCHANGE } from '@todo/messaging';
import { HealthModule, Logger, ObservabilityModule } from '@todo/observability';
import { AnalyticsModule } from './analytics/analytics.module';
import { AnalyticsServiceConfig } from './config/analytics-service.config';
import { analyticsServiceMigrations } from './infrastructure/database/analytics-service.migrations';

@Module({})
export class AnalyticsServiceModule {
  static forRoot(config: AnalyticsServiceConfig, logger: Logger): DynamicModule {
    return {
      module: AnalyticsServiceModule,
      global: true,
      imports: [
        ObservabilityModule.forRoot(logger),
        EventStoreModule.forRoot({
          database: {
            url: config.DATABASE_URL,
            schema: config.DB_SCHEMA,
            migrations: analyticsServiceMigrations,
            poolSize: config.DB_POOL_SIZE,
          },
          exchange: TODO_EVENTS_EXCHANGE,
        }),
        MessagingModule.forRoot({ url: config.AMQP_URL, connectionName: 'analytics-service' }),
        HealthModule.forRoot([DatabaseReadiness, BrokerReadiness]),
        AnalyticsModule,
      ],
      providers: [{ provide: AnalyticsServiceConfig, useValue: config }],
      exports: [AnalyticsServiceConfig],
    };
  }
}
