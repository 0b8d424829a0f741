import { AsyncApiModule } from './asyncapi/asyncapi.controller';
import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule } from '@todo/auth';
import { ServiceConfigModule, ServiceEnv } from '@todo/config';
import { DatabaseModule, DatabaseReadiness } from '@todo/database';
import { EventStoreModule, OutboxRelayModule } from '@todo/event-store';
import { BrokerReadiness, ConsumerModule, MessageProcessing, MessagingModule, queueSettings } from '@todo/messaging';
import { HealthModule, Logger, MetricsModule, ObservabilityModule, PlatformMetrics } from '@todo/observability';
import { EventLogModule } from './event-log/event-log.module';
import { JourneyStepsModule } from './journey/journey-steps.http.controller';
import { explainStartUpFailure } from './start-up-failure';
import { ServiceDefinition } from './service-definition';

export interface ServiceOptions {
  /** Wraps the consumer's inbox, e.g. to inject faults in tests. */
  wrapProcessing?: (inbox: MessageProcessing) => MessageProcessing;
}

/**
 * One service's root module: the platform's modules configured from the service's
 * validated environment, then the service's own. Not global on purpose: Nest shuts
 * non-global modules down first, so the service's workers (consumer, relay, dispatchers)
 * stop before the global connection and pool modules close.
 */
@Module({})
export class ServiceModule {
  static forRoot<TConfig extends ServiceEnv>(
    definition: ServiceDefinition<TConfig>,
    config: TConfig,
    logger: Logger,
    metrics: PlatformMetrics,
    options: ServiceOptions = {},
  ): DynamicModule {
    return {
      module: ServiceModule,
      imports: [
        ServiceConfigModule.forRoot(definition.config, config),
        ObservabilityModule.forRoot(logger),
        MetricsModule.forRoot(metrics),
        AuthModule.forRoot({
          secret: config.JWT_SECRET,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          tokenLifetimeSeconds: config.JWT_TTL_SECONDS,
          writesPerMinute: config.RATE_LIMIT_WRITES_PER_MINUTE,
          tokenRequestsPerMinute: config.RATE_LIMIT_TOKENS_PER_MINUTE,
        }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: config.DB_SCHEMA,
          migrations: definition.migrations,
          poolSize: config.DB_POOL_SIZE,
        }),
        EventStoreModule.forRoot({
          service: definition.name,
          inbox: { maxBatch: config.INBOX_MAX_BATCH, concurrency: config.INBOX_CONCURRENCY },
        }),
        MessagingModule.forRoot({
          urls: config.amqpUrls(),
          connectionName: definition.name,
          semconvStability: config.semconvStability('messaging'),
          explainFailure: (error) => {
            const explained = explainStartUpFailure(error, { amqpUrls: config.amqpUrls() });
            return explained.cause === 'unexpected' ? undefined : explained;
          },
        }),
        HealthModule.forRoot([DatabaseReadiness, BrokerReadiness]),
        AsyncApiModule,
        JourneyStepsModule,
        CqrsModule.forRoot(),
        ...(definition.consumer
          ? [
              ConsumerModule.forRoot({
                consumer: definition.consumer,
                queues: queueSettings(config.QUEUE_TYPE, config.QUEUE_DELIVERY_LIMIT),
                prefetch: config.CONSUMER_PREFETCH,
                wrapProcessing: options.wrapProcessing,
              }),
            ]
          : []),
        ...(definition.outbox
          ? [
              OutboxRelayModule.forRoot({
                databaseUrl: config.DATABASE_URL,
                schema: config.DB_SCHEMA,
                batchSize: config.OUTBOX_BATCH_SIZE,
                pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
              }),
            ]
          : []),
        ...(definition.eventLog ? [EventLogModule.forRoot(definition.eventLog)] : []),
        ...definition.modules,
      ],
      providers: definition.providers ?? [],
    };
  }
}
