import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AfterCommit, InboxScope, InboxTransaction } from '@todo/event-store';
import { EventType, TodoCreated } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { EntityManager } from 'typeorm';
import { todoCreatedMail } from '../domain/notification-templates';
import { MailDispatcher } from '../infrastructure/mail-dispatcher';
import { NotificationRepository } from '../infrastructure/notification.repository';

/** Tells the owner their todo was created. */
@Controller()
export class TodoCreatedHandler {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly dispatcher: MailDispatcher,
  ) {}

  @OnEvent(EventType.Todo.Created)
  async handle(
    @Payload() event: TodoCreated,
    @InboxTransaction() tx: EntityManager,
    @AfterCommit() afterCommit: InboxScope['afterCommit'],
  ): Promise<void> {
    const notificationId = await this.notifications.queue(tx, event, event.user_id, todoCreatedMail(event));
    afterCommit(() => this.dispatcher.deliverSoon(notificationId));
  }
}
