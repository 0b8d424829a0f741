/**
 * One isolated run of the platform for the end-to-end benchmarks: a RabbitMQ vhost and
 * PostgreSQL schemas of its own, an SMTP sink, and whichever services the case starts
 * as real processes (their logs in a temporary directory; BENCH_KEEP_LOGS=1 keeps it),
 * trusting the test signing key (support/auth.ts), with bearer tokens to call them with.
 * dispose() takes all of it down again, whatever state it is in.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestVhost } from '../../test/support/rabbitmq';
import { serviceSchemas } from '../../test/support/postgres';
import { waitFor } from '../../test/support/wait-for';
import { BenchTokens, SERVICE_AUTH_ENV, TODO_SERVICE_AUTH_ENV, benchTokens } from './auth';
import { RunningService, ServiceBuild, ServiceName, startService } from './service-runner';
import { SmtpSink, startSmtpSink } from './smtp-sink';

export interface Stack {
  /** The vhost's URL: AMQP_URL of the services. */
  amqpUrl: string;
  databaseUrl: string;
  schemas: { todo: string; notification: string; analytics: string; order: string; inventory: string };
  smtp: SmtpSink;
  /** Minted when the stack opened: the demo user's (id 1, registered by todo-service at start) and an admin's. */
  tokens: BenchTokens;
  services: Partial<Record<ServiceName, RunningService>>;
  service(name: ServiceName): RunningService;
  start(...names: ServiceName[]): Promise<RunningService[]>;
  /** One more instance of a running service, on the same schema and vhost (stopped by dispose). */
  startAnother(name: ServiceName): Promise<RunningService>;
  /** SIGTERM (graceful, as a deployment would), waits for the exit. */
  stop(...names: ServiceName[]): Promise<void>;
  dispose(): Promise<void>;
}

/** The vhost on the broker of `baseUrl` (settings.amqpUrl), whatever path that URL had. */
function vhostUrl(baseUrl: string, vhost: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}

export async function openStack(settings: { amqpUrl: string; databaseUrl: string }, build: ServiceBuild, label: string): Promise<Stack> {
  const vhost = await createTestVhost(label);
  const schemas = serviceSchemas(label);
  let smtp: SmtpSink | undefined;
  const services: Partial<Record<ServiceName, RunningService>> = {};
  const others: RunningService[] = [];
  const amqpUrl = vhostUrl(settings.amqpUrl, vhost.vhost);
  const logDir = await mkdtemp(join(tmpdir(), `bench-logs-${label}-`));

  const dispose = async () => {
    const attempt = async (what: string, step: () => Promise<unknown>) => {
      try {
        await step();
      } catch (error) {
        process.stderr.write(`bench clean-up: ${what} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    };
    await Promise.all([...Object.values(services), ...others].map((s) => attempt(`stopping ${s!.name}`, () => s!.stop(5_000))));
    if (smtp) await attempt('closing the SMTP sink', () => withTimeout(smtp!.close(), 5_000));
    await attempt(`deleting vhost ${vhost.vhost}`, () => vhost.dispose());
    await attempt('dropping the schemas', () => dropSchemasAt(settings.databaseUrl, Object.values(schemas)));
    if (process.env.BENCH_KEEP_LOGS === '1') process.stderr.write(`bench: service logs kept in ${logDir}\n`);
    else await attempt('removing the logs', () => rm(logDir, { recursive: true, force: true }));
  };

  try {
    smtp = await startSmtpSink();
  } catch (error) {
    await dispose();
    throw error;
  }
  const sink = smtp;
  // What each service needs to find its dependencies, the test signing key and rate limits out
  // of the load's reach (support/auth.ts), and todo-service's demo user: pool size, prefetch,
  // log level, mail concurrency and outbox settings stay at the services' defaults.
  const envOf = (name: ServiceName): Record<string, string> => {
    const common = { DATABASE_URL: settings.databaseUrl, AMQP_URL: amqpUrl, ...SERVICE_AUTH_ENV };
    switch (name) {
      case 'todo-service':
        return { ...common, DB_SCHEMA: schemas.todo, ...TODO_SERVICE_AUTH_ENV, JOURNEY_SERVICE_URLS: peerUrls() };
      case 'notification-service':
        return { ...common, DB_SCHEMA: schemas.notification, SMTP_URL: sink.url, ...todoUrl() };
      case 'analytics-service':
        return { ...common, DB_SCHEMA: schemas.analytics, ...todoUrl() };
      case 'order-service':
        return { ...common, DB_SCHEMA: schemas.order };
      case 'inventory-service':
        return { ...common, DB_SCHEMA: schemas.inventory };
    }
  };
  // GET /journeys/:id asks the services already running when todo-service starts (none: its own steps only).
  const peerUrls = (): string =>
    Object.entries(services)
      .filter(([name]) => name !== 'todo-service')
      .map(([, running]) => running!.url)
      .join(',');
  const todoUrl = (): Record<string, string> => (services['todo-service'] ? { TODO_SERVICE_URL: services['todo-service'].url } : {});

  const stack: Stack = {
    amqpUrl,
    databaseUrl: settings.databaseUrl,
    schemas,
    smtp: sink,
    tokens: benchTokens(),
    services,
    service(name) {
      const found = services[name];
      if (!found) throw new Error(`${name} is not running`);
      return found;
    },
    async start(...names) {
      const started = await Promise.allSettled(names.map((name) => startService(build, name, envOf(name), logDir)));
      started.forEach((s, i) => {
        if (s.status === 'fulfilled') services[names[i]] = s.value;
      });
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      return started.map((s) => (s as PromiseFulfilledResult<RunningService>).value);
    },
    async startAnother(name) {
      const another = await startService(build, name, envOf(name), logDir);
      others.push(another);
      return another;
    },
    async stop(...names) {
      await Promise.all(
        names.map(async (name) => {
          const s = services[name];
          if (!s) return;
          await s.stop();
          delete services[name];
        }),
      );
    },
    dispose,
  };
  return stack;
}

export async function dropSchemasAt(databaseUrl: string, schemas: string[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Waits until notification-service knows the user's address (else its mails would be retried). */
export async function waitForRecipient(databaseUrl: string, schema: string, userId: number): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await waitFor(
      `notification-service to learn user ${userId}`,
      async () => (await client.query(`SELECT 1 FROM "${schema}".recipients WHERE user_id = $1`, [userId])).rowCount === 1,
      { timeoutMs: 30_000, intervalMs: 20 },
    );
  } finally {
    await client.end();
  }
}
