import { Query } from '@nestjs/cqrs';
import { NotificationResponse } from './notification.response';

export class ListNotificationsQuery extends Query<NotificationResponse[]> {
  constructor(
    readonly limit: number,
    readonly offset: number,
    /** Only this user's mails; undefined for an admin, who sees every mail. */
    readonly userId?: number,
  ) {
    super();
  }
}
