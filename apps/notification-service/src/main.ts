import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readEnvironment } from '@todo/config';
import { serviceUrls } from '@todo/http-api';
import { HttpEventSource, Inbox, runRebuildCli } from '@todo/event-store';
import { configureHttpApi } from '@todo/http-api';
import { AmqpConnection, MessageProcessing, NOTIFICATION_QUEUE, PLATFORM_TOPOLOGY, RabbitTransport } from '@todo/messaging';
import { Logger, PinoNestLogger, PlatformMetrics, createLogger, exitGracefullyOnSignals } from '@todo/observability';
import { startTracing } from '@todo/observability/tracing/start-tracing';
import { NotificationServiceConfig, loadNotificationServiceConfig } from './config/notification-service.config';
import { NotificationServiceModule } from './notification-service.module';
import { notificationServiceMigrations } from './infrastructure/database/notification-service.migrations';
import { recipientsReadModel } from './recipients/recipients.read-model';

export interface ConsumerAppOptions {
  /** Wraps the inbox, e.g. to inject faults in tests. */
  wrapProcessing?: (inbox: MessageProcessing) => MessageProcessing;
}

/** The composition root: HTTP (GET /notifications, health) plus the event consumer on its own queue. */
export async function createNotificationServiceApp(
  config: NotificationServiceConfig,
  logger: Logger,
  options: ConsumerAppOptions = {},
): Promise<INestApplication> {
  const metrics = new PlatformMetrics('notification-service');
  const app = await NestFactory.create(NotificationServiceModule.forRoot(config, logger, metrics), {
    logger: new PinoNestLogger(logger),
  });
  configureHttpApi(app, logger, {
    metrics,
    title: 'notification-service',
    description: 'Mails the owner of a todo when it is created or completed; learns addresses from user.registered.',
    serverUrl: serviceUrls(config).api,
    tags: { notifications: 'The mails this service decided to send, with their delivery status.' },
  });
  RabbitTransport.connect(app, {
    connection: app.get(AmqpConnection),
    topology: PLATFORM_TOPOLOGY,
    queue: NOTIFICATION_QUEUE.queue,
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
  const tracing = startTracing('notification-service', env);
  const config = loadNotificationServiceConfig(env);
  const logger = createLogger({ service: 'notification-service', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  if (process.argv[2] === 'rebuild') {
    await runRebuildCli({
      logger,
      database: { url: config.DATABASE_URL, schema: config.DB_SCHEMA, migrations: notificationServiceMigrations, poolSize: 4 },
      targets: [{ model: recipientsReadModel, source: () => new HttpEventSource(config.TODO_SERVICE_URL) }],
    });
    return;
  }
  const app = await createNotificationServiceApp(config, logger);
  exitGracefullyOnSignals(app, logger, config.SHUTDOWN_TIMEOUT_MS, async () => tracing?.shutdown());
  await app.listen(config.PORT, config.HOST);
  logger.info(
    { ...serviceUrls(config), mail: config.SMTP_URL ? 'smtp' : `no SMTP_URL: mails written to ${config.MAIL_DIR}` },
    'notification-service listening',
  );
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(
      `notification-service failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
