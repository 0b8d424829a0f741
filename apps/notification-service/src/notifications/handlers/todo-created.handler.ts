import { Injectable } from '@nestjs/common';
import { InboxContext } from '@todo/event-store';
import { EventType, TodoCreated } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { todoCreatedMail } from '../domain/notification-templates';
import { MailDispatcher } from '../infrastructure/mail-dispatcher';
import { NotificationRepository } from '../infrastructure/notification.repository';

/** Tells the owner their todo was created. */
@Injectable()
export class TodoCreatedHandler {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly dispatcher: MailDispatcher,
  ) {}

  @OnEvent(EventType.Todo.Created)
  async handle(event: TodoCreated, { tx, afterCommit }: InboxContext): Promise<void> {
    await this.notifications.queue(tx, event, event.user_id, todoCreatedMail(event));
    afterCommit(() => this.dispatcher.mailQueued());
  }
}
