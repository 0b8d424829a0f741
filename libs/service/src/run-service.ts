import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceEnv, loadConfig, readEnvironment } from '@todo/config';
import { runRebuildCli } from '@todo/event-store';
import { configureHttpApi, serviceUrls } from '@todo/http-api';
import { JourneyRecorder, Logger, PinoNestLogger, PlatformMetrics, createLogger, exitGracefullyOnSignals } from '@todo/observability';
import { startTracing } from '@todo/observability/tracing/start-tracing';
import { ServiceDefinition } from './service-definition';
import { serviceDescription } from './service-description';
import { ServiceModule, ServiceOptions } from './service.module';
import { explainStartUpFailure } from './start-up-failure';

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
    // Nest's own report of a failed start (with the stack) goes to debug: the error is thrown to the caller, which reports it.
    logger: new PinoNestLogger(logger, { startErrors: 'debug' }),
    // configureHttpApi registers the parsers, with the configured size limit.
    bodyParser: false,
    // A failing start is thrown to the caller (main exits 1 naming it), not a bare process.exit.
    abortOnError: false,
  });
  configureHttpApi(app, logger, {
    metrics,
    journey: app.get(JourneyRecorder),
    title: definition.name,
    description: serviceDescription(definition),
    serverUrl: serviceUrls(config).api,
    tags: definition.http.tags,
    statusByCode: definition.http.errorStatuses,
    bodyLimitKb: config.HTTP_BODY_LIMIT_KB,
    corsOrigins: config.CORS_ORIGINS === '' ? [] : config.CORS_ORIGINS.split(','),
  });
  return app;
}

/** A service's environment read and validated, its logger and its tracing started: what `main` needs before it can serve. */
interface ConfiguredService<TConfig extends ServiceEnv> {
  config: TConfig;
  logger: Logger;
  tracing: ReturnType<typeof startTracing>;
}

/**
 * Reads `.env` and the environment, starts tracing (before HTTP, Express and pg are
 * used) and validates the configuration.
 */
function configureService<TConfig extends ServiceEnv>(definition: ServiceDefinition<TConfig>): ConfiguredService<TConfig> {
  const env = readEnvironment();
  const tracing = startTracing(definition.name, env);
  const config = loadConfig(definition.config, env);
  const logger = createLogger({ service: definition.name, level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  return { config, logger, tracing };
}

/** Runs `rebuild <read-model>`, or serves until SIGTERM. */
async function runService<TConfig extends ServiceEnv>(
  definition: ServiceDefinition<TConfig>,
  { config, logger, tracing }: ConfiguredService<TConfig>,
  argv = process.argv.slice(2),
): Promise<void> {
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

/**
 * The entry point of a service's main.ts: runs it, or exits 1 after one log line that names
 * the likely cause of the failure and what to do about it (the stack only when no cause fits).
 */
export function main<TConfig extends ServiceEnv>(definition: ServiceDefinition<TConfig>): void {
  let configured: ConfiguredService<TConfig> | undefined;
  try {
    configured = configureService(definition);
  } catch (error) {
    exitNamingTheCause(definition.name, error);
    return;
  }
  runService(definition, configured).catch((error: unknown) => exitNamingTheCause(definition.name, error, configured));
}

function exitNamingTheCause<TConfig extends ServiceEnv>(service: string, error: unknown, configured?: ConfiguredService<TConfig>): void {
  const failure = explainStartUpFailure(
    error,
    configured && { databaseUrl: configured.config.DATABASE_URL, amqpUrls: configured.config.amqpUrls() },
  );
  // Without a valid configuration there is no LOG_LEVEL to honour: the default logger says it.
  const logger = configured?.logger ?? createLogger({ service });
  const err = error instanceof Error ? error : new Error(String(error));
  logger.fatal(
    {
      cause: failure.cause,
      ...(failure.hint ? { hint: failure.hint } : {}),
      ...(failure.variables ? { variables: failure.variables } : {}),
      // A cause we can name needs no stack; an unexpected one does.
      ...(failure.hint ? { reason: err.message } : { err }),
    },
    `${service} failed to start: ${failure.hint ?? err.message}`,
  );
  // The line must be written before the process ends: the logger writes asynchronously.
  logger.flush(() => process.exit(1));
}
