import { HttpEventSource } from '@todo/event-store';
import { NOTIFICATION_QUEUE } from '@todo/messaging';
import { defineService } from '@todo/service';
import { NotificationServiceConfig } from './config/notification-service.config';
import { notificationServiceMigrations } from './infrastructure/database/notification-service.migrations';
import { NotificationsModule } from './notifications/notifications.module';
import { RecipientsModule } from './recipients/recipients.module';
import { recipientsReadModel } from './recipients/projections/recipients.read-model';

/** notification-service: mails the owner of a todo; learns addresses from user.registered, never calls todo-service. */
export const notificationService = defineService({
  name: 'notification-service',
  config: NotificationServiceConfig,
  migrations: notificationServiceMigrations,
  modules: [RecipientsModule, NotificationsModule],
  consumer: NOTIFICATION_QUEUE,
  http: {
    description:
      'Mails people about what happened to them: the owner of a todo when it is created or completed, the buyer when an ' +
      'order is confirmed or cancelled. It learns each address only from user.registered (it never calls todo-service), ' +
      'keeps every mail it decided to send with its delivery status, and retries one until the SMTP server accepts it.',
    tags: { notifications: 'The mails this service decided to send, with their delivery status.' },
  },
  announce: (config) => ({ mail: config.SMTP_URL ? 'smtp' : `no SMTP_URL: mails written to ${config.MAIL_DIR}` }),
  readModels: (config) => [
    { model: recipientsReadModel, source: () => new HttpEventSource(config.TODO_SERVICE_URL, config.REBUILD_ACCESS_TOKEN) },
  ],
});
