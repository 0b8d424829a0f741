import { INestApplication } from '@nestjs/common';
import { MessageProcessing } from '@todo/messaging';
import { createServiceApp } from '@todo/service';
import { analyticsService } from '../../apps/analytics-service/src/analytics-service.definition';
import { loadAnalyticsServiceConfig } from '../../apps/analytics-service/src/config/analytics-service.config';
import { notificationService } from '../../apps/notification-service/src/notification-service.definition';
import { loadNotificationServiceConfig } from '../../apps/notification-service/src/config/notification-service.config';
import { todoService } from '../../apps/todo-service/src/todo-service.definition';
import { loadTodoServiceConfig } from '../../apps/todo-service/src/config/todo-service.config';
import { CapturedLogs, captureLogs } from './logs';
import { TEST_DATABASE_URL, dropSchemas, testSchema } from './postgres';
import { createTestVhost } from './rabbitmq';
import { ServiceName, ServiceProcess, startServiceProcess } from './service-process';
import { startSmtpServer } from './smtp';

export const DEMO_EMAIL = 'demo@example.com';

export interface PlatformOptions {
  /** Wraps each consumer's inbox (fault injection). */
  wrapProcessing?: (inbox: MessageProcessing) => MessageProcessing;
  /** Services not to boot in this process (start them with `platform.spawn`). */
  skip?: ServiceName[];
}

/**
 * The three services against the real PostgreSQL, RabbitMQ (a vhost of their own)
 * and an SMTP server, each in a schema of its own. In-process by default; any of them
 * can run as a real process instead (`spawn`), to be killed.
 */
export async function startPlatform(label: string, options: PlatformOptions = {}) {
  const vhost = await createTestVhost(label);
  const smtp = await startSmtpServer();
  const schemas = { todo: testSchema(`${label}_todo`), notification: testSchema(`${label}_ntf`), analytics: testSchema(`${label}_ana`) };
  const common = { DATABASE_URL: TEST_DATABASE_URL, AMQP_URL: vhost.url, DB_POOL_SIZE: '5' };
  const env: Record<ServiceName, Record<string, string>> = {
    'todo-service': { ...common, DB_SCHEMA: schemas.todo, DEMO_USER_EMAIL: DEMO_EMAIL, OUTBOX_POLL_INTERVAL_MS: '500' },
    'notification-service': { ...common, DB_SCHEMA: schemas.notification, SMTP_URL: smtp.url, MAIL_RETRY_INTERVAL_MS: '200' },
    'analytics-service': { ...common, DB_SCHEMA: schemas.analytics },
  };
  const logs = {
    todo: captureLogs('todo-service'),
    notification: captureLogs('notification-service'),
    analytics: captureLogs('analytics-service'),
  };
  const apps = new Map<ServiceName, INestApplication>();
  const processes = new Set<ServiceProcess>();
  const skip = new Set(options.skip ?? []);
  const consumerOptions = { wrapProcessing: options.wrapProcessing };

  const boot: Record<ServiceName, () => Promise<INestApplication>> = {
    'todo-service': () => createServiceApp(todoService, loadTodoServiceConfig(env['todo-service']), logs.todo.logger),
    'notification-service': () =>
      createServiceApp(
        notificationService,
        loadNotificationServiceConfig(env['notification-service']),
        logs.notification.logger,
        consumerOptions,
      ),
    'analytics-service': () =>
      createServiceApp(analyticsService, loadAnalyticsServiceConfig(env['analytics-service']), logs.analytics.logger, consumerOptions),
  };
  const start = async (service: ServiceName) => {
    const app = await boot[service]();
    apps.set(service, app);
    await app.init();
    return app;
  };
  const cleanUp = async () => {
    for (const service of [...apps.keys()].reverse()) await apps.get(service)!.close();
    apps.clear();
    for (const child of processes) {
      child.kill('SIGKILL');
      await child.exited;
    }
    await smtp.close();
    await vhost.dispose();
    await dropSchemas(...Object.values(schemas));
  };

  try {
    for (const service of ['todo-service', 'notification-service', 'analytics-service'] as const) {
      if (!skip.has(service)) await start(service);
    }
  } catch (error) {
    await cleanUp();
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
    get todo() {
      return app('todo-service');
    },
    get notification() {
      return app('notification-service');
    },
    get analytics() {
      return app('analytics-service');
    },
    /** Closes an in-process service gracefully (as on SIGTERM). */
    async stopService(service: ServiceName): Promise<void> {
      await app(service).close();
      apps.delete(service);
    },
    /** (Re)starts a service in this process. */
    startService: start,
    /** Starts a service as a real process. */
    async spawn(service: ServiceName): Promise<ServiceProcess> {
      const child = await startServiceProcess(service, { ...env[service], LOG_LEVEL: 'info' });
      processes.add(child);
      void child.exited.then(() => processes.delete(child));
      return child;
    },
    stop: cleanUp,
  };
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>;
export type { CapturedLogs };
