import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Inbox } from '@todo/event-store';
import { configureHttpApi } from '@todo/http-api';
import { ANALYTICS_QUEUE, AmqpConnection, MessageProcessing, PLATFORM_TOPOLOGY, RabbitTransport } from '@todo/messaging';
import { Logger, PinoNestLogger, createLogger, exitGracefullyOnSignals } from '@todo/observability';
import { AnalyticsServiceModule } from './analytics-service.module';
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
  const app = await NestFactory.create(AnalyticsServiceModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  configureHttpApi(app, logger, {
    title: 'analytics-service',
    description: 'Counts todos created and completed, by priority and by user, from the todo events.',
  });
  RabbitTransport.connect(app, {
    connection: app.get(AmqpConnection),
    topology: PLATFORM_TOPOLOGY,
    queue: ANALYTICS_QUEUE.queue,
    prefetch: config.CONSUMER_PREFETCH,
    processing: (options.wrapProcessing ?? ((inbox) => inbox))(app.get(Inbox)),
    logger,
  });
  await app.startAllMicroservices();
  return app;
}

async function main(): Promise<void> {
  const config = loadAnalyticsServiceConfig(process.env);
  const logger = createLogger({ service: 'analytics-service', level: config.LOG_LEVEL });
  const app = await createAnalyticsServiceApp(config, logger);
  exitGracefullyOnSignals(app, logger, config.SHUTDOWN_TIMEOUT_MS);
  await app.listen(config.PORT, config.HOST);
  logger.info({ port: config.PORT }, 'analytics-service listening');
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`analytics-service failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
