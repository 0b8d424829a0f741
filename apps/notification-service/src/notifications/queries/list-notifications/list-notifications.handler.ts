import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { NotificationRow } from '../../infrastructure/notification.repository';
import { ListNotificationsQuery } from './list-notifications.query';
import { NotificationResponse } from './notification.response';

/** The mails decided, newest first, from the `notifications` table. */
@QueryHandler(ListNotificationsQuery)
export class ListNotificationsHandler implements IQueryHandler<ListNotificationsQuery, NotificationResponse[]> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ limit, offset, userId }: ListNotificationsQuery): Promise<NotificationResponse[]> {
    const rows: NotificationRow[] = await this.dataSource.query(
      `SELECT id, event_id, event_type, correlation_id, user_id, recipient, subject, body, message_id, status, attempts,
              last_error, created_at, sent_at
         FROM notifications WHERE ($3::int IS NULL OR user_id = $3) ORDER BY id DESC LIMIT $1 OFFSET $2`,
      [limit, offset, userId ?? null],
    );
    return rows.map((row) => ({
      ...row,
      id: Number(row.id),
      created_at: row.created_at.toISOString(),
      sent_at: row.sent_at?.toISOString() ?? null,
    }));
  }
}
