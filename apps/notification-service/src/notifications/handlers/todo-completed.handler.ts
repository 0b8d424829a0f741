import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AfterCommit, InboxScope, InboxTransaction } from '@todo/event-store';
import { EventType, TodoCompleted } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { EntityManager } from 'typeorm';
import { todoCompletedMail } from '../domain/notification-templates';
import { MailDispatcher } from '../infrastructure/mail-dispatcher';
import { NotificationRepository } from '../infrastructure/notification.repository';

/** The seed's TodoCompletedHandler: mails the todo's owner. */
@Controller()
export class TodoCompletedHandler {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly dispatcher: MailDispatcher,
  ) {}

  @OnEvent(EventType.Todo.Completed)
  async handle(
    @Payload() event: TodoCompleted,
    @InboxTransaction() tx: EntityManager,
    @AfterCommit() afterCommit: InboxScope['afterCommit'],
  ): Promise<void> {
    const notificationId = await this.notifications.queue(tx, event, event.user_id, todoCompletedMail(event));
    afterCommit(() => this.dispatcher.deliverSoon(notificationId));
  }
}
