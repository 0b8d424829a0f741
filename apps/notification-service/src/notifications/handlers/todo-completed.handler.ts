import { Injectable } from '@nestjs/common';
import { InboxContext } from '@todo/event-store';
import { EventType, TodoCompleted } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { todoCompletedMail } from '../domain/notification-templates';
import { MailDispatcher } from '../infrastructure/mail-dispatcher';
import { NotificationRepository } from '../infrastructure/notification.repository';

/** The seed's TodoCompletedHandler: mails the todo's owner. */
@Injectable()
export class TodoCompletedHandler {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly dispatcher: MailDispatcher,
  ) {}

  @OnEvent(EventType.Todo.Completed)
  async handle(event: TodoCompleted, { tx, afterCommit }: InboxContext): Promise<void> {
    await this.notifications.queue(tx, event, event.user_id, todoCompletedMail(event));
    afterCommit(() => this.dispatcher.mailQueued());
  }
}
