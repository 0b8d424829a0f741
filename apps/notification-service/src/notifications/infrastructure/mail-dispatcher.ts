import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, Logger } from '@todo/observability';
import { DataSource } from 'typeorm';
import { NotificationServiceConfig } from '../../config/notification-service.config';
import { MailSender } from './mail-sender';
import { NotificationRow } from './notification.repository';

const MAX_ATTEMPTS = 10;

/**
 * Sends recorded mails and marks them sent.
 *
 * A mail is sent while its row is locked and marked sent in the same transaction, so
 * two instances never send it both. The one window left: the SMTP server accepted the
 * mail and the process died before the commit — it is then sent again, with the same
 * Message-ID.
 */
@Injectable()
export class MailDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly inFlight = new Set<Promise<void>>();
  private sweepTimer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: MailSender,
    private readonly config: NotificationServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduleSweep(0);
  }

  /** After the consumer drained (its handlers may still hand over mails) and before the pool closes. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.sweepTimer);
    await Promise.allSettled([...this.inFlight]);
    this.sender.close();
  }

  /** Sends a committed notification now, without waiting for the next sweep. */
  deliverSoon(notificationId: number): void {
    if (!this.stopping) this.track(this.deliver(notificationId));
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async deliver(notificationId: number): Promise<void> {
    try {
      await this.dataSource.transaction(async (tx) => {
        const [row]: NotificationRow[] = await tx.query(
          `SELECT * FROM notifications WHERE id = $1 AND status = 'pending' FOR UPDATE SKIP LOCKED`,
          [notificationId],
        );
        if (!row) return;
        const where = await this.sender.send({
          from: this.config.MAIL_FROM,
          to: row.recipient,
          subject: row.subject,
          text: row.body,
          messageId: row.message_id,
          headers: { 'X-Correlation-Id': row.correlation_id, 'X-Event-Id': row.event_id },
        });
        await tx.query(
          `UPDATE notifications SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`,
          [notificationId],
        );
        this.logger.info(
          { notification_id: notificationId, event_id: row.event_id, correlation_id: row.correlation_id, to: row.recipient, subject: row.subject, delivered_to: where },
          'Mail sent',
        );
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ notification_id: notificationId, err: reason }, 'Mail not sent; will retry');
      await this.dataSource
        .query(
          `UPDATE notifications
              SET attempts = attempts + 1, last_error = $2,
                  next_attempt_at = now() + make_interval(secs => least(300, power(2, attempts))),
                  status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE status END
            WHERE id = $1 AND status = 'pending'`,
          [notificationId, reason, MAX_ATTEMPTS],
        )
        .catch((err) => this.logger.error({ err, notification_id: notificationId }, 'Could not record mail failure'));
    }
  }

  /** Picks up mails left pending by a crash or a failed send. */
  private scheduleSweep(delayMs: number): void {
    if (this.stopping) return;
    this.sweepTimer = setTimeout(() => {
      const sweep = this.sweep()
        .catch((error) => this.logger.warn({ err: (error as Error).message }, 'Mail sweep failed'))
        .finally(() => this.scheduleSweep(this.config.MAIL_RETRY_INTERVAL_MS));
      this.track(sweep);
    }, delayMs);
  }

  private async sweep(): Promise<void> {
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY id LIMIT 100`,
    );
    for (const { id } of due) {
      if (this.stopping) return;
      await this.deliver(Number(id));
    }
  }
}
