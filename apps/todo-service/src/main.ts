import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger, PinoNestLogger, createLogger, exitGracefullyOnSignals, requestCorrelation } from '@todo/observability';
import { TodoServiceConfig, loadTodoServiceConfig } from './config/todo-service.config';
import { HttpErrorFilter } from './infrastructure/http/http-error.filter';
import { requestValidationPipe } from './infrastructure/http/validation.pipe';
import { TodoServiceModule } from './todo-service.module';

/**
 * The composition root: builds the todo service (HTTP API, event store, outbox
 * relay) on a migrated schema. Tests call it with their own configuration.
 */
export async function createTodoServiceApp(config: TodoServiceConfig, logger: Logger): Promise<INestApplication> {
  const app = await NestFactory.create(TodoServiceModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
  });
  app.use(requestCorrelation(logger));
  app.useGlobalPipes(requestValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter(logger));
  const openApi = new DocumentBuilder()
    .setTitle('todo-service')
    .setDescription('Commands emit domain events (todo.created, todo.completed, todo.priority_changed, user.registered) through a transactional outbox.')
    .setVersion('1')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi));
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
