import { Injectable } from '@nestjs/common';
import { PlatformEvent } from '@todo/events';
import { DataSource, EntityManager } from 'typeorm';
import { MailContent } from '../domain/notification-templates';
import { RecipientUnknownError } from '../domain/recipient-unknown.error';

export interface NotificationRow {
  id: string;
  event_id: string;
  event_type: string;
  correlation_id: string;
  user_id: number;
  recipient: string;
  subject: string;
  body: string;
  message_id: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/** A stable Message-ID per event, so a mail sent twice in the one remaining window is recognisably the same mail. */
export const messageIdFor = (eventId: string): string => `<${eventId}@todo-platform.local>`;

@Injectable()
export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the mail an event asks for, in the handler's transaction: it is sent
   * after the commit, so a rolled-back handler never mails anyone.
   */
  async queue(tx: EntityManager, event: PlatformEvent, userId: number, mail: MailContent): Promise<number> {
    // One statement: the recipient's address is read as the row is written.
    const [row] = await tx.query(
      `INSERT INTO notifications (event_id, event_type, correlation_id, user_id, recipient, subject, body, message_id)
       SELECT $1, $2, $3, r.user_id, r.email, $5, $6, $7 FROM recipients r WHERE r.user_id = $4
       RETURNING id`,
      [event.event_id, event.event_type, event.correlation_id, userId, mail.subject, mail.body, messageIdFor(event.event_id)],
    );
    if (!row) throw new RecipientUnknownError(userId);
    return Number(row.id);
  }

  /**
   * Claims up to `limit` due mails for `leaseSeconds`: pending ones whose next attempt has
   * come, and ones whose sender's claim ran out. Instances claim disjoint sets (SKIP LOCKED).
   */
  async claimDue(limit: number, leaseSeconds: number): Promise<NotificationRow[]> {
    // typeorm answers an UPDATE … RETURNING with [rows, affected count].
    const [rows]: [NotificationRow[], number] = await this.dataSource.query(
      `UPDATE notifications SET status = 'sending', lease_until = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM notifications
                      WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, event_id, event_type, correlation_id, user_id, recipient, subject, body, message_id, status, attempts,
                 last_error, created_at, sent_at`,
      [limit, leaseSeconds],
    );
    return rows;
  }

  async markSent(notificationId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL, lease_until = NULL
        WHERE id = $1`,
      [notificationId],
    );
  }

  /** The next attempt waits twice as long as the last (1 s, 2 s, … up to 5 min); after `maxAttempts` the mail is `failed`. */
  async backOff(notificationId: string, reason: string, maxAttempts: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications
          SET attempts = attempts + 1, last_error = $2, lease_until = NULL,
              next_attempt_at = now() + make_interval(secs => least(300, power(2, attempts))),
              status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE 'pending' END
        WHERE id = $1`,
      [notificationId, reason, maxAttempts],
    );
  }
}
