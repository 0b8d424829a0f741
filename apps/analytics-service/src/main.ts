import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readEnvironment } from '@todo/config';
import { serviceUrls } from '@todo/http-api';
import { HttpEventSource, Inbox, runRebuildCli } from '@todo/event-store';
import { configureHttpApi } from '@todo/http-api';
import { ANALYTICS_QUEUE, AmqpConnection, MessageProcessing, PLATFORM_TOPOLOGY, RabbitTransport } from '@todo/messaging';
import { Logger, PinoNestLogger, PlatformMetrics, createLogger, exitGracefullyOnSignals } from '@todo/observability';
import { startTracing } from '@todo/observability/tracing/start-tracing';
import { AnalyticsServiceModule } from './analytics-service.module';
import { analyticsServiceMigrations } from './infrastructure/database/analytics-service.migrations';
import { analyticsReadModel } from './analytics/projections/analytics.read-model';
import { AnalyticsServiceConfig, loadAnalyticsServiceConfig } from './config/analytics-service.config';

export interface ConsumerAppOptions {
  /** Wraps the inbox, e.g. to inject faults in tests. */
  wrapProcessing?: (inbox: MessageProcessing) => MessageProcessing;
}

/** The composition root: HTTP (GET /analytics/summary, health) plus the event consumer on its own queue. */
export async function createAnalyticsServiceApp(
  config: AnalyticsServiceConfig,
  logger: Logger,
  options: ConsumerAppOptions = {},
): Promise<INestApplication> {
  const metrics = new PlatformMetrics('analytics-service');
  const app = await NestFactory.create(AnalyticsServiceModule.forRoot(config, logger, metrics), {
    logger: new PinoNestLogger(logger),
  });
  configureHttpApi(app, logger, {
    metrics,
    title: 'analytics-service',
    description: 'Counts todos created and completed, by priority and by user, from the todo events.',
    serverUrl: serviceUrls(config).api,
    tags: { analytics: 'Figures computed from the todo events.' },
  });
  RabbitTransport.connect(app, {
    connection: app.get(AmqpConnection),
    topology: PLATFORM_TOPOLOGY,
    queue: ANALYTICS_QUEUE.queue,
    prefetch: config.CONSUMER_PREFETCH,
    processing: (options.wrapProcessing ?? ((inbox) => inbox))(app.get(Inbox)),
    logger,
    metrics,
  });
  await app.startAllMicroservices();
  return app;
}

async function main(): Promise<void> {
  const env = readEnvironment();
  // Next: the instrumentations must be in place before HTTP, Express and pg are used.
  const tracing = startTracing('analytics-service', env);
  const config = loadAnalyticsServiceConfig(env);
  const logger = createLogger({ service: 'analytics-service', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  if (process.argv[2] === 'rebuild') {
    await runRebuildCli({
      logger,
      database: { url: config.DATABASE_URL, schema: config.DB_SCHEMA, migrations: analyticsServiceMigrations, poolSize: 4 },
      targets: [{ model: analyticsReadModel, source: () => new HttpEventSource(config.TODO_SERVICE_URL) }],
    });
    return;
  }
  const app = await createAnalyticsServiceApp(config, logger);
  exitGracefullyOnSignals(app, logger, config.SHUTDOWN_TIMEOUT_MS, async () => tracing?.shutdown());
  await app.listen(config.PORT, config.HOST);
  logger.info(serviceUrls(config), 'analytics-service listening');
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`analytics-service failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
