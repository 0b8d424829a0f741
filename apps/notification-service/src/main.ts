import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Inbox } from '@todo/event-store';
import { AmqpConnection, NOTIFICATION_QUEUE, MessageProcessing, PLATFORM_TOPOLOGY, RabbitTransport } from '@todo/messaging';
import { Logger, PinoNestLogger, createLogger, exitGracefullyOnSignals, requestCorrelation } from '@todo/observability';
import { NotificationServiceConfig, loadNotificationServiceConfig } from './config/notification-service.config';
import { NotificationServiceModule } from './notification-service.module';

/** The composition root: HTTP (GET /notifications, health) plus the event consumer on its own queue. */
export interface ConsumerAppOptions {
  /** Wraps the inbox, e.g. to inject faults in tests. */
  wrapProcessing?: (inbox: MessageProcessing) => MessageProcessing;
}

export async function createNotificationServiceApp(
  config: NotificationServiceConfig,
  logger: Logger,
  options: ConsumerAppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(NotificationServiceModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  app.use(requestCorrelation(logger));
  RabbitTransport.connect(app, {
    connection: app.get(AmqpConnection),
    topology: PLATFORM_TOPOLOGY,
    queue: NOTIFICATION_QUEUE.queue,
    prefetch: config.CONSUMER_PREFETCH,
    processing: (options.wrapProcessing ?? ((inbox) => inbox))(app.get(Inbox)),
    logger,
  });
  const openApi = new DocumentBuilder().setTitle('notification-service').setVersion('1').build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi));
  await app.startAllMicroservices();
  return app;
}

async function main(): Promise<void> {
  const config = loadNotificationServiceConfig(process.env);
  const logger = createLogger({ service: 'notification-service', level: config.LOG_LEVEL });
  const app = await createNotificationServiceApp(config, logger);
  exitGracefullyOnSignals(app, logger, config.SHUTDOWN_TIMEOUT_MS);
  await app.listen(config.PORT, config.HOST);
  logger.info({ port: config.PORT, smtp: config.SMTP_URL ? 'on' : `off (mails written to ${config.MAIL_DIR})` }, 'notification-service listening');
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`notification-service failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
