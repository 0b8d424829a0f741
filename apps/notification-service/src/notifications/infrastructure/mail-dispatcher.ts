import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { isDatabaseUnavailable } from '@todo/database';
import { LOGGER, Logger } from '@todo/observability';
import { DataSource } from 'typeorm';
import { NotificationServiceConfig } from '../../config/notification-service.config';
import { MailSender } from './mail-sender';
import { NotificationRow } from './notification.repository';

const MAX_ATTEMPTS = 10;
/** Mails waiting in memory for a send slot; beyond this they wait in the table for the sweep. */
const MAX_QUEUED = 1_000;
const SWEEP_BATCH = 100;
/** Longer than the SMTP transport's own timeouts, so a live send never loses its claim. */
const LEASE_SECONDS = 60;

/**
 * Sends recorded mails and marks them sent.
 *
 * A mail is first claimed (status `sending` with a lease) in a short statement, then
 * sent with no transaction or lock held, then marked `sent`. Two instances never send
 * the same mail while the claim holds; marking it sent is retried through a database
 * restart. The one window left: the SMTP server accepted the mail and this process
 * died (or the database stayed away longer than the lease) before it was marked sent
 * — once the lease runs out the mail is sent again, with the same Message-ID.
 */
@Injectable()
export class MailDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private sending = 0;
  private sweepTimer?: NodeJS.Timeout;
  private sweeping = false;
  private sweepAgain = false;
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
    this.waiting.splice(0).forEach((start) => start());
    await Promise.allSettled([...this.inFlight]);
    this.sender.close();
  }

  /** Sends a committed notification now, without waiting for the next sweep. */
  deliverSoon(notificationId: number): void {
    if (this.stopping) return;
    // A backlog (a burst, SMTP slower than the events) stays in the table, not in memory.
    if (this.waiting.length >= MAX_QUEUED) return this.sweepSoon();
    this.track(this.withSlot(() => this.deliver(notificationId)));
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error) => this.logger.warn({ err: (error as Error).message }, 'Mail delivery interrupted; the sweep will retry it'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async withSlot(work: () => Promise<void>): Promise<void> {
    if (this.sending >= this.config.MAIL_CONCURRENCY) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.stopping) return;
    this.sending += 1;
    try {
      await work();
    } finally {
      this.sending -= 1;
      this.waiting.shift()?.();
    }
  }

  private async deliver(notificationId: number): Promise<void> {
    const [row]: NotificationRow[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE notifications SET status = 'sending', lease_until = now() + make_interval(secs => $2)
          WHERE id = $1
            AND ((status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now()))
         RETURNING *)
       SELECT * FROM claimed`,
      [notificationId, LEASE_SECONDS],
    );
    if (!row) return;
    try {
      const where = await this.sender.send({
        from: this.config.MAIL_FROM,
        to: row.recipient,
        subject: row.subject,
        text: row.body,
        messageId: row.message_id,
        headers: { 'X-Correlation-Id': row.correlation_id, 'X-Event-Id': row.event_id },
      });
      // The mail is out: recording that must outlast a database restart, or it would be sent again.
      await this.persistently(() =>
        this.dataSource.query(
          `UPDATE notifications SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL, lease_until = NULL
            WHERE id = $1`,
          [notificationId],
        ),
      );
      this.logger.info(
        {
          notification_id: notificationId,
          event_id: row.event_id,
          correlation_id: row.correlation_id,
          to: row.recipient,
          subject: row.subject,
          delivered_to: where,
        },
        'Mail sent',
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ notification_id: notificationId, correlation_id: row.correlation_id, err: reason }, 'Mail not sent; will retry');
      await this.persistently(() =>
        this.dataSource.query(
          `UPDATE notifications
              SET attempts = attempts + 1, last_error = $2, lease_until = NULL,
                  next_attempt_at = now() + make_interval(secs => least(300, power(2, attempts))),
                  status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE 'pending' END
            WHERE id = $1`,
          [notificationId, reason, MAX_ATTEMPTS],
        ),
      ).catch((err) => this.logger.error({ err, notification_id: notificationId }, 'Could not record mail failure; its lease will expire'));
    }
  }

  /** Retries a write while the database is unavailable, for as long as the claim lasts. */
  private async persistently<T>(write: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + LEASE_SECONDS * 1000;
    for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2_000)) {
      try {
        return await write();
      } catch (error) {
        if (!isDatabaseUnavailable(error) || Date.now() + delayMs > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /** Picks up mails left unsent by a crash, an expired claim, a failed send or a backlog. */
  private scheduleSweep(delayMs: number): void {
    if (this.stopping) return;
    clearTimeout(this.sweepTimer);
    this.sweepTimer = setTimeout(() => {
      this.sweeping = true;
      const sweep = this.sweep()
        .catch((error) => this.logger.warn({ err: (error as Error).message }, 'Mail sweep failed'))
        .finally(() => {
          this.sweeping = false;
          const again = this.sweepAgain;
          this.sweepAgain = false;
          this.scheduleSweep(again ? 0 : this.config.MAIL_RETRY_INTERVAL_MS);
        });
      this.track(sweep);
    }, delayMs);
  }

  private sweepSoon(): void {
    if (this.sweeping) this.sweepAgain = true;
    else this.scheduleSweep(0);
  }

  /** Sends due mails, a batch at a time, until none is due. */
  private async sweep(): Promise<void> {
    for (;;) {
      const due: { id: string }[] = await this.dataSource.query(
        `SELECT id FROM notifications
          WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
          ORDER BY id LIMIT $1`,
        [SWEEP_BATCH],
      );
      await Promise.all(due.map(({ id }) => this.withSlot(() => this.deliver(Number(id)))));
      if (due.length < SWEEP_BATCH || this.stopping) return;
    }
  }
}
