import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureHttpApi } from '@todo/http-api';
import { Logger, PinoNestLogger, createLogger, exitGracefullyOnSignals } from '@todo/observability';
import { TodoServiceConfig, loadTodoServiceConfig } from './config/todo-service.config';
import { TODO_SERVICE_ERROR_STATUSES } from './infrastructure/http/todo-service.error-statuses';
import { TodoServiceModule } from './todo-service.module';

/**
 * The composition root: builds the todo service (HTTP API, event store, outbox
 * relay) on a migrated schema. Tests call it with their own configuration.
 */
export async function createTodoServiceApp(config: TodoServiceConfig, logger: Logger): Promise<INestApplication> {
  const app = await NestFactory.create(TodoServiceModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  configureHttpApi(app, logger, {
    title: 'todo-service',
    description:
      'Commands emit domain events (todo.created, todo.completed, todo.priority_changed, user.registered) through a transactional outbox.',
    statusByCode: TODO_SERVICE_ERROR_STATUSES,
  });
  return app;
}

async function main(): Promise<void> {
  const config = loadTodoServiceConfig(process.env);
  const logger = createLogger({ service: 'todo-service', level: config.LOG_LEVEL });
  const app = await createTodoServiceApp(config, logger);
  exitGracefullyOnSignals(app, logger, config.SHUTDOWN_TIMEOUT_MS);
  await app.listen(config.PORT, config.HOST);
  logger.info({ port: config.PORT, docs: `http://localhost:${config.PORT}/docs` }, 'todo-service listening');
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`todo-service failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
