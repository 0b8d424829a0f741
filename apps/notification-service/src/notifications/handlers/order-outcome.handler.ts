import { Injectable } from '@nestjs/common';
import { InboxContext } from '@todo/event-store';
import { EventType, OrderCancelled, OrderConfirmed } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { orderCancelledMail, orderConfirmedMail } from '../domain/notification-templates';
import { MailDispatcher } from '../infrastructure/mail-dispatcher';
import { NotificationRepository } from '../infrastructure/notification.repository';

/** Tells the buyer how their order ended: confirmed, or cancelled with the reason. */
@Injectable()
export class OrderOutcomeHandler {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly dispatcher: MailDispatcher,
  ) {}

  @OnEvent(EventType.Order.Confirmed)
  async confirmed(event: OrderConfirmed, { tx, afterCommit }: InboxContext): Promise<void> {
    await this.notifications.queue(tx, event, event.user_id, orderConfirmedMail(event));
    afterCommit(() => this.dispatcher.mailQueued());
  }

  @OnEvent(EventType.Order.Cancelled)
  async cancelled(event: OrderCancelled, { tx, afterCommit }: InboxContext): Promise<void> {
    await this.notifications.queue(tx, event, event.user_id, orderCancelledMail(event));
    afterCommit(() => this.dispatcher.mailQueued());
  }
}
