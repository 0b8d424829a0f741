import { INestApplication } from '@nestjs/common';
import { ServiceEnv, loadConfig } from '@todo/config';
import { MessageProcessing, queueSettings } from '@todo/messaging';
import { ServiceDefinition, createServiceApp } from '@todo/service';
import { analyticsService } from '../../apps/analytics-service/src/analytics-service.definition';
import { inventoryService } from '../../apps/inventory-service/src/inventory-service.definition';
import { notificationService } from '../../apps/notification-service/src/notification-service.definition';
import { orderService } from '../../apps/order-service/src/order-service.definition';
import { todoService } from '../../apps/todo-service/src/todo-service.definition';
import { ADMIN_EMAIL, DEMO_EMAIL, DEMO_PASSWORD, TEST_AUTH_ENV } from './auth';
import { CapturedLogs, captureLogs } from './logs';
import { checkOutboxes } from './wire-contract';
import { createSchemaRoles, dropSchemas, serviceSchemas } from './postgres';
import { TestBroker, createTestVhost } from './rabbitmq';
import { ServiceName, ServiceProcess, startServiceProcess } from './service-process';
import { startSmtpServer } from './smtp';

export { DEMO_EMAIL } from './auth';

const DEFINITIONS: Record<ServiceName, ServiceDefinition> = {
  'todo-service': todoService,
  'notification-service': notificationService,
  'analytics-service': analyticsService,
  'order-service': orderService,
  'inventory-service': inventoryService,
};

/** The services a platform boots unless told otherwise: the todo flow. */
const TODO_FLOW: ServiceName[] = ['todo-service', 'notification-service', 'analytics-service'];

export interface PlatformOptions {
  /** Wraps each consumer's inbox (fault injection). */
  wrapProcessing?: (inbox: MessageProcessing) => MessageProcessing;
  /** The services this platform has (the todo flow's three by default; add order-service and inventory-service for orders). */
  services?: ServiceName[];
  /** Services not to boot in this process (start them with `platform.spawn` or `startService`). */
  skip?: ServiceName[];
  /** Extra environment per service. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** A RabbitMQ cluster instead of the machine's broker: quorum queues, every service given every node (AMQP_URLS). */
  cluster?: TestBroker;
}

/**
 * The services against the real PostgreSQL, RabbitMQ (a vhost of their own) and an SMTP
 * server, each in a schema of its own. In-process by default; any of them can run as a
 * real process instead (`spawn`), to be killed.
 */
export async function startPlatform(label: string, options: PlatformOptions = {}) {
  const services = options.services ?? TODO_FLOW;
  const vhost = await createTestVhost(label, {
    serviceUsers: true,
    ...(options.cluster && { broker: options.cluster, queues: queueSettings('quorum') }),
  });
  const smtp = await startSmtpServer();
  const schemas = serviceSchemas(label);
  // Each service as its own database role and broker user, owning only its schema and queues.
  const databaseUrls = await createSchemaRoles(Object.values(schemas));
  const common = { DB_POOL_SIZE: '5', ...TEST_AUTH_ENV };
  const env: Record<ServiceName, Record<string, string>> = {
    'todo-service': {
      ...common,
      AMQP_URL: vhost.urlFor('todo-service'),
      DB_SCHEMA: schemas.todo,
      DATABASE_URL: databaseUrls[schemas.todo],
      DEMO_USER_EMAIL: DEMO_EMAIL,
      DEMO_USER_PASSWORD: DEMO_PASSWORD,
      ADMIN_EMAILS: ADMIN_EMAIL,
      OUTBOX_POLL_INTERVAL_MS: '500',
    },
    'notification-service': {
      ...common,
      AMQP_URL: vhost.urlFor('notification-service'),
      DB_SCHEMA: schemas.notification,
      DATABASE_URL: databaseUrls[schemas.notification],
      SMTP_URL: smtp.url,
      MAIL_RETRY_INTERVAL_MS: '200',
    },
    'analytics-service': {
      ...common,
      AMQP_URL: vhost.urlFor('analytics-service'),
      DB_SCHEMA: schemas.analytics,
      DATABASE_URL: databaseUrls[schemas.analytics],
    },
    'order-service': {
      ...common,
      AMQP_URL: vhost.urlFor('order-service'),
      DB_SCHEMA: schemas.order,
      DATABASE_URL: databaseUrls[schemas.order],
      OUTBOX_POLL_INTERVAL_MS: '500',
      SAGA_DEADLINE_POLL_MS: '100',
    },
    'inventory-service': {
      ...common,
      AMQP_URL: vhost.urlFor('inventory-service'),
      DB_SCHEMA: schemas.inventory,
      DATABASE_URL: databaseUrls[schemas.inventory],
      OUTBOX_POLL_INTERVAL_MS: '500',
    },
  };
  if (options.cluster) {
    for (const service of Object.keys(env) as ServiceName[]) {
      Object.assign(env[service], { AMQP_URLS: vhost.urlsFor(service).join(','), QUEUE_TYPE: 'quorum' });
    }
  }
  for (const [service, extra] of Object.entries(options.env ?? {})) Object.assign(env[service as ServiceName], extra);
  const logs = {
    todo: captureLogs('todo-service'),
    notification: captureLogs('notification-service'),
    analytics: captureLogs('analytics-service'),
    order: captureLogs('order-service'),
    inventory: captureLogs('inventory-service'),
  };
  const logsOf: Record<ServiceName, CapturedLogs> = {
    'todo-service': logs.todo,
    'notification-service': logs.notification,
    'analytics-service': logs.analytics,
    'order-service': logs.order,
    'inventory-service': logs.inventory,
  };
  const apps = new Map<ServiceName, INestApplication>();
  const processes = new Set<ServiceProcess>();
  const skip = new Set(options.skip ?? []);

  const start = async (service: ServiceName) => {
    const definition = DEFINITIONS[service];
    const config = loadConfig(definition.config as new () => ServiceEnv, env[service]);
    const wrap = service === 'todo-service' ? {} : { wrapProcessing: options.wrapProcessing };
    const app = await createServiceApp(definition, config, logsOf[service].logger, wrap);
    apps.set(service, app);
    await app.init();
    return app;
  };
  const cleanUp = async (checkContract = true) => {
    for (const service of [...apps.keys()].reverse()) await apps.get(service)!.close();
    apps.clear();
    for (const child of processes) {
      child.kill('SIGKILL');
      await child.exited;
    }
    // Every message the run sent, against the published contract, before the schemas go.
    const { violations } = checkContract
      ? await checkOutboxes(label, Object.values(schemas)).catch((error: Error) => ({ violations: [`could not check: ${error.message}`] }))
      : { violations: [] };
    await smtp.close();
    await vhost.dispose();
    await dropSchemas(...Object.values(schemas));
    if (violations.length > 0) {
      throw new Error(`${violations.length} message(s) sent do not fit docs/asyncapi.json:\n${violations.slice(0, 10).join('\n')}`);
    }
  };

  try {
    for (const service of services) {
      if (!skip.has(service)) await start(service);
    }
  } catch (error) {
    await cleanUp(false);
    throw error;
  }

  const app = (service: ServiceName) => {
    const found = apps.get(service);
    if (!found) throw new Error(`${service} is not running in this process`);
    return found;
  };
  return {
    vhost,
    smtp,
    schemas,
    logs,
    env,
    get todo() {
      return app('todo-service');
    },
    get notification() {
      return app('notification-service');
    },
    get analytics() {
      return app('analytics-service');
    },
    get order() {
      return app('order-service');
    },
    get inventory() {
      return app('inventory-service');
    },
    isRunning: (service: ServiceName) => apps.has(service),
    /** Closes an in-process service gracefully (as on SIGTERM). */
    async stopService(service: ServiceName): Promise<void> {
      await app(service).close();
      apps.delete(service);
    },
    /** (Re)starts a service in this process. */
    startService: start,
    /** Starts a service as a real process. */
    async spawn(service: ServiceName, extraEnv: Record<string, string> = {}): Promise<ServiceProcess> {
      const child = await startServiceProcess(service, { ...env[service], LOG_LEVEL: 'info', ...extraEnv });
      processes.add(child);
      void child.exited.then(() => processes.delete(child));
      return child;
    },
    /** Stops everything, checks every message sent against the published contract, and drops the schemas. */
    stop: () => cleanUp(),
  };
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>;
export type { CapturedLogs };
