import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceEnv, loadConfig, readEnvironment } from '@todo/config';
import { runRebuildCli } from '@todo/event-store';
import { configureHttpApi, serviceUrls } from '@todo/http-api';
import { JourneyRecorder, Logger, PinoNestLogger, PlatformMetrics, createLogger, exitGracefullyOnSignals } from '@todo/observability';
import { startTracing } from '@todo/observability/tracing/start-tracing';
import { ServiceDefinition } from './service-definition';
import { ServiceModule, ServiceOptions } from './service.module';

/**
 * Builds a service on a migrated schema, ready to listen: HTTP API with its edge
 * (correlation, validation, errors, Swagger), and the consumer and relay when the service
 * has them. Tests call it with their own configuration and logger.
 */
export async function createServiceApp<TConfig extends ServiceEnv>(
  definition: ServiceDefinition<TConfig>,
  config: TConfig,
  logger: Logger,
  options: ServiceOptions = {},
): Promise<INestApplication> {
  const metrics = new PlatformMetrics(definition.name);
  const app = await NestFactory.create(ServiceModule.forRoot(definition, config, logger, metrics, options), {
    logger: new PinoNestLogger(logger),
    // configureHttpApi registers the parsers, with the configured size limit.
    bodyParser: false,
    // A failing start is thrown to the caller (main exits 1 naming it), not a bare process.exit.
    abortOnError: false,
  });
  configureHttpApi(app, logger, {
    metrics,
    journey: app.get(JourneyRecorder),
    title: definition.name,
    description: definition.http.description,
    serverUrl: serviceUrls(config).api,
    tags: definition.http.tags,
    statusByCode: definition.http.errorStatuses,
    bodyLimitKb: config.HTTP_BODY_LIMIT_KB,
    corsOrigins: config.CORS_ORIGINS === '' ? [] : config.CORS_ORIGINS.split(','),
  });
  return app;
}

/**
 * A service's `main`: reads `.env` and the environment, starts tracing (before HTTP,
 * Express and pg are used), validates the configuration, then either runs
 * `rebuild <read-model>` or serves until SIGTERM.
 */
export async function runService<TConfig extends ServiceEnv>(
  definition: ServiceDefinition<TConfig>,
  argv = process.argv.slice(2),
): Promise<void> {
  const env = readEnvironment();
  const tracing = startTracing(definition.name, env);
  const config = loadConfig(definition.config, env);
  const logger = createLogger({ service: definition.name, level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  if (argv[0] === 'rebuild') {
    await runRebuildCli({
      logger,
      database: { url: config.DATABASE_URL, schema: config.DB_SCHEMA, migrations: definition.migrations, poolSize: 4 },
      targets: definition.readModels?.(config) ?? [],
    });
    return;
  }
  const app = await createServiceApp(definition, config, logger);
  exitGracefullyOnSignals(app, logger, config.SHUTDOWN_TIMEOUT_MS, async () => tracing?.shutdown());
  await app.listen(config.PORT, config.HOST);
  logger.info({ ...serviceUrls(config), ...definition.announce?.(config) }, `${definition.name} listening`);
}

/** The entry point of a service's main.ts: runs it, or exits 1 saying why it could not start. */
export function main<TConfig extends ServiceEnv>(definition: ServiceDefinition<TConfig>): void {
  runService(definition).catch((error: unknown) => {
    process.stderr.write(
      `${definition.name} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
