import { Module } from '@nestjs/common';
import { NotificationServiceConfig } from '../config/notification-service.config';
import { OrderOutcomeHandler } from './handlers/order-outcome.handler';
import { TodoCompletedHandler } from './handlers/todo-completed.handler';
import { TodoCreatedHandler } from './handlers/todo-created.handler';
import { MailDispatcher } from './infrastructure/mail-dispatcher';
import { EmlFileMailSender, MailSender, SmtpMailSender } from './infrastructure/mail-sender';
import { NotificationRepository } from './infrastructure/notification.repository';
import { ListNotificationsHandler } from './queries/list-notifications/list-notifications.handler';
import { ListNotificationsHttpController } from './queries/list-notifications/list-notifications.http.controller';

const eventHandlers = [TodoCompletedHandler, TodoCreatedHandler, OrderOutcomeHandler];
const controllers = [ListNotificationsHttpController];
const queryHandlers = [ListNotificationsHandler];

@Module({
  controllers,
  providers: [
    ...eventHandlers,
    ...queryHandlers,
    NotificationRepository,
    MailDispatcher,
    {
      provide: MailSender,
      inject: [NotificationServiceConfig],
      useFactory: (config: NotificationServiceConfig) =>
        config.SMTP_URL ? new SmtpMailSender(config.SMTP_URL, config.MAIL_CONCURRENCY) : new EmlFileMailSender(config.MAIL_DIR),
    },
  ],
})
export class NotificationsModule {}
