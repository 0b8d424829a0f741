import { INestApplication } from '@nestjs/common';
import { createAnalyticsServiceApp } from '../../apps/analytics-service/src/main';
import { loadAnalyticsServiceConfig } from '../../apps/analytics-service/src/config/analytics-service.config';
import { createNotificationServiceApp } from '../../apps/notification-service/src/main';
import { loadNotificationServiceConfig } from '../../apps/notification-service/src/config/notification-service.config';
import { createTodoServiceApp } from '../../apps/todo-service/src/main';
import { loadTodoServiceConfig } from '../../apps/todo-service/src/config/todo-service.config';
import { CapturedLogs, captureLogs } from './logs';
import { TEST_DATABASE_URL, dropSchemas, testSchema } from './postgres';
import { createTestVhost } from './rabbitmq';
import { startSmtpServer } from './smtp';

export const DEMO_EMAIL = 'demo@example.com';

/**
 * The three services booted in this process against the real PostgreSQL, RabbitMQ
 * (a vhost of their own) and an SMTP server, each service in a schema of its own.
 */
export async function startPlatform(label: string) {
  const vhost = await createTestVhost(label);
  const smtp = await startSmtpServer();
  const schemas = { todo: testSchema(`${label}_todo`), notification: testSchema(`${label}_ntf`), analytics: testSchema(`${label}_ana`) };
  const common = { DATABASE_URL: TEST_DATABASE_URL, AMQP_URL: vhost.url, DB_POOL_SIZE: '5' };
  const logs = { todo: captureLogs('todo-service'), notification: captureLogs('notification-service'), analytics: captureLogs('analytics-service') };
  const apps: INestApplication[] = [];
  const boot = async (app: Promise<INestApplication>) => {
    const started = await app;
    apps.push(started);
    await started.init();
    return started;
  };
  try {
    const todo = await boot(
      createTodoServiceApp(loadTodoServiceConfig({ ...common, DB_SCHEMA: schemas.todo, DEMO_USER_EMAIL: DEMO_EMAIL }), logs.todo.logger),
    );
    const notification = await boot(
      createNotificationServiceApp(
        loadNotificationServiceConfig({ ...common, DB_SCHEMA: schemas.notification, SMTP_URL: smtp.url, MAIL_RETRY_INTERVAL_MS: '200' }),
        logs.notification.logger,
      ),
    );
    const analytics = await boot(
      createAnalyticsServiceApp(loadAnalyticsServiceConfig({ ...common, DB_SCHEMA: schemas.analytics }), logs.analytics.logger),
    );
    return {
      vhost,
      smtp,
      schemas,
      logs,
      todo,
      notification,
      analytics,
      async stop(): Promise<void> {
        await stopAll(apps);
        await smtp.close();
        await vhost.dispose();
        await dropSchemas(...Object.values(schemas));
      },
    };
  } catch (error) {
    await stopAll(apps);
    await smtp.close();
    await vhost.dispose();
    await dropSchemas(...Object.values(schemas));
    throw error;
  }
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>;
export type { CapturedLogs };

async function stopAll(apps: INestApplication[]): Promise<void> {
  for (const app of apps.reverse()) await app.close();
}
