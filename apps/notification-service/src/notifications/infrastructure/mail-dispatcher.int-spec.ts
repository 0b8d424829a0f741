import { createDataSource, migrate } from '@todo/database';
import { JourneyLog } from '@todo/event-store';
import { DataSource } from 'typeorm';
import { captureLogs } from '../../../../../test/support/logs';
import { TEST_DATABASE_URL, dropSchemas, testSchema } from '../../../../../test/support/postgres';
import { startSmtpServer } from '../../../../../test/support/smtp';
import { waitFor } from '../../../../../test/support/wait-for';
import { loadNotificationServiceConfig } from '../../config/notification-service.config';
import { notificationServiceMigrations } from '../../infrastructure/database/notification-service.migrations';
import { MailDispatcher } from './mail-dispatcher';
import { SmtpMailSender } from './mail-sender';
import { NotificationRepository } from './notification.repository';

describe('MailDispatcher on PostgreSQL and a real SMTP server', () => {
  const logs = captureLogs('notification-service');
  const schema = testSchema('mail_dispatch');
  let dataSource: DataSource;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    dataSource = createDataSource({ url: TEST_DATABASE_URL, schema, migrations: notificationServiceMigrations, poolSize: 6 });
    await dataSource.initialize();
    await migrate(dataSource, schema, logs.logger);
    smtp = await startSmtpServer();
  });

  afterAll(async () => {
    await smtp?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await dropSchemas(schema);
  });

  it('keeps a burst in the table, claiming a batch at a time, and still sends every mail once', async () => {
    const burst = 1_500;
    const ids: { id: string }[] = await dataSource.query(
      `INSERT INTO notifications (event_id, event_type, correlation_id, user_id, recipient, subject, body, message_id)
       SELECT 'burst-' || n, 'todo.created', 'burst', 1, 'demo@example.com', 'Todo Created', 'body ' || n, '<burst-' || n || '@todo-platform.local>'
         FROM generate_series(1, $1) AS n
       RETURNING id`,
      [burst],
    );
    // A sweep interval far beyond the test: the after-commit wake-ups alone must send the whole burst.
    const config = loadNotificationServiceConfig({ MAIL_RETRY_INTERVAL_MS: '600000', MAIL_CONCURRENCY: '4' });
    const journey = new JourneyLog(dataSource, 'notification-service', logs.logger);
    const sender = new SmtpMailSender(smtp.url, 4);
    const dispatcher = new MailDispatcher(new NotificationRepository(dataSource), sender, config, logs.logger, journey);
    dispatcher.onApplicationBootstrap();
    let mostClaimed = 0;
    const sampling = setInterval(() => {
      void dataSource
        .query(`SELECT count(*)::int AS n FROM notifications WHERE status = 'sending'`)
        .then(([{ n }]) => (mostClaimed = Math.max(mostClaimed, n)))
        .catch(() => undefined);
    }, 20);
    for (let i = 0; i < ids.length; i++) dispatcher.mailQueued();

    await waitFor('every mail of the burst', () => smtp.mails.filter((m) => m.parsed.messageId?.startsWith('<burst-')).length >= burst, {
      timeoutMs: 60_000,
    });
    clearInterval(sampling);
    expect(mostClaimed).toBeLessThanOrEqual(100);
    await waitFor(
      'every row marked sent',
      async () => (await dataSource.query(`SELECT count(*)::int AS n FROM notifications WHERE status <> 'sent'`))[0].n === 0,
    );
    const messageIds = smtp.mails.map((m) => m.parsed.messageId);
    expect(new Set(messageIds).size).toBe(messageIds.length);
    await dispatcher.onApplicationShutdown();

    // Each mail is a step of its flow's journey, written in batches in the background.
    const steps = await journey.read('burst', 1);
    expect(steps).toHaveLength(burst);
    expect(steps.every((step) => step.kind === 'mail' && step.outcome === 'sent' && step.attempt === 1)).toBe(true);
    expect(steps[0]).toMatchObject({ service: 'notification-service', name: 'demo@example.com', message_type: 'todo.created' });
    expect(await journey.read('burst', 2)).toEqual([]);
  });
});
