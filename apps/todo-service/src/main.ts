import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readEnvironment } from '@todo/config';
import { serviceUrls } from '@todo/http-api';
import { EventStore, Inbox, StoreEventSource, runRebuildCli } from '@todo/event-store';
import { configureHttpApi } from '@todo/http-api';
import { AmqpConnection, PLATFORM_TOPOLOGY, RabbitTransport, TODO_EVENTS_EXCHANGE, TODO_VIEWS_QUEUE } from '@todo/messaging';
import { Logger, PinoNestLogger, PlatformMetrics, createLogger, exitGracefullyOnSignals } from '@todo/observability';
import { startTracing } from '@todo/observability/tracing/start-tracing';
import { TodoServiceConfig, loadTodoServiceConfig } from './config/todo-service.config';
import { TODO_SERVICE_ERROR_STATUSES } from './infrastructure/http/todo-service.error-statuses';
import { TodoServiceModule } from './todo-service.module';
import { todoServiceMigrations } from './infrastructure/database/todo-service.migrations';
import { todoViewsReadModel } from './todos/projections/todo-views.read-model';

/**
 * The composition root: builds the todo service (HTTP API, event store, outbox relay,
 * and the consumer that projects its own events into the query views) on a migrated
 * schema. Tests call it with their own configuration.
 */
export async function createTodoServiceApp(config: TodoServiceConfig, logger: Logger): Promise<INestApplication> {
  const metrics = new PlatformMetrics('todo-service');
  const app = await NestFactory.create(TodoServiceModule.forRoot(config, logger, metrics), {
    logger: new PinoNestLogger(logger),
  });
  configureHttpApi(app, logger, {
    metrics,
    title: 'todo-service',
    description:
      'Commands emit domain events (todo.created, todo.completed, todo.priority_changed, user.registered) through a transactional outbox.',
    serverUrl: serviceUrls(config).api,
    tags: {
      todos: 'Commands on todos, each answering with the new version (also its ETag), and queries of the todo views.',
      users: 'Registering the users todos belong to.',
      events: 'The event store read back: the global stream in commit order, and one business flow by correlation id.',
    },
    statusByCode: TODO_SERVICE_ERROR_STATUSES,
  });
  RabbitTransport.connect(app, {
    connection: app.get(AmqpConnection),
    topology: PLATFORM_TOPOLOGY,
    queue: TODO_VIEWS_QUEUE.queue,
    prefetch: config.CONSUMER_PREFETCH,
    processing: app.get(Inbox),
    logger,
    metrics,
  });
  await app.startAllMicroservices();
  return app;
}

async function main(): Promise<void> {
  const env = readEnvironment();
  // Next: the instrumentations must be in place before HTTP, Express and pg are used.
  const tracing = startTracing('todo-service', env);
  const config = loadTodoServiceConfig(env);
  const logger = createLogger({ service: 'todo-service', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  if (process.argv[2] === 'rebuild') {
    await runRebuildCli({
      logger,
      database: { url: config.DATABASE_URL, schema: config.DB_SCHEMA, migrations: todoServiceMigrations, poolSize: 4 },
      targets: [
        { model: todoViewsReadModel, source: (dataSource) => new StoreEventSource(dataSource, new EventStore(TODO_EVENTS_EXCHANGE)) },
      ],
    });
    return;
  }
  const app = await createTodoServiceApp(config, logger);
  exitGracefullyOnSignals(app, logger, config.SHUTDOWN_TIMEOUT_MS, async () => tracing?.shutdown());
  await app.listen(config.PORT, config.HOST);
  logger.info(serviceUrls(config), 'todo-service listening');
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`todo-service failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
