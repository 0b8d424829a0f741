import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { isDatabaseUnavailable } from '@todo/database';
import { DispatchLoop, PassResult } from '@todo/event-store';
import { JourneyRecorder, LOGGER, Logger } from '@todo/observability';
import { NotificationServiceConfig } from '../../config/notification-service.config';
import { MailSender } from './mail-sender';
import { NotificationRepository, NotificationRow } from './notification.repository';

const MAX_ATTEMPTS = 10;
/** Mails claimed per pass: a burst waits in the table, not in memory. */
const CLAIM_BATCH = 100;
/** Longer than the SMTP transport's own timeouts, so a live send never loses its claim. */
const LEASE_SECONDS = 60;

/**
 * Sends recorded mails and marks them sent, on the platform's dispatch loop (the one the
 * outbox relay runs on): woken after a handler's commit recorded a mail, sweeping every
 * MAIL_RETRY_INTERVAL_MS for mails left by a crash or a failed send, backing off while
 * SMTP refuses every mail.
 *
 * A mail is first claimed (status `sending` with a lease) in a short statement, then sent
 * with no transaction or lock held, then marked `sent`. Two instances never send the same
 * mail while the claim holds; marking it sent is retried through a database restart. The
 * one window left: the SMTP server accepted the mail and this process died (or the
 * database stayed away longer than the lease) before it was marked sent — once the lease
 * runs out the mail is sent again, with the same Message-ID.
 *
 * Why it does not share the outbox's claim: the outbox must keep each key's order, so one
 * relay leads and publishes in id order; mails have no order, so every instance claims
 * and sends its own share at once, under leases.
 */
@Injectable()
export class MailDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: DispatchLoop;

  constructor(
    private readonly mails: NotificationRepository,
    private readonly sender: MailSender,
    private readonly config: NotificationServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly journey: JourneyRecorder,
  ) {
    this.loop = new DispatchLoop({
      pass: () => this.pass(),
      pollIntervalMs: config.MAIL_RETRY_INTERVAL_MS,
      onError: (error) => this.logger.warn({ err: (error as Error).message }, 'Mail sweep failed'),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** After the consumer drained (its handlers may still record mails) and before the pool closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    this.sender.close();
  }

  /** A handler's transaction recorded a mail and committed: send it now rather than at the next sweep. */
  mailQueued(): void {
    this.loop.wake();
  }

  /** Claims a batch of due mails and sends them, MAIL_CONCURRENCY at a time. */
  private async pass(): Promise<PassResult> {
    const claimed = await this.mails.claimDue(CLAIM_BATCH, LEASE_SECONDS);
    if (claimed.length === 0) return 'empty';
    let next = 0;
    let sent = 0;
    const worker = async () => {
      while (next < claimed.length) if (await this.deliver(claimed[next++])) sent += 1;
    };
    await Promise.all(Array.from({ length: Math.min(this.config.MAIL_CONCURRENCY, claimed.length) }, worker));
    // Not one mail went out: the SMTP server is in trouble, so wait before asking again.
    if (sent === 0) return 'failed';
    return claimed.length === CLAIM_BATCH ? 'more' : 'drained';
  }

  private async deliver(row: NotificationRow): Promise<boolean> {
    const startedAt = new Date();
    let sent = false;
    const note = (outcome: 'sent' | 'failed', detail: string) =>
      this.journey.record({
        kind: 'mail',
        correlationId: row.correlation_id,
        userId: row.user_id,
        name: row.recipient,
        messageId: row.event_id,
        messageType: row.event_type,
        attempt: row.attempts + 1,
        outcome,
        detail,
        startedAt,
        durationMs: Date.now() - startedAt.getTime(),
      });
    try {
      const where = await this.sender.send({
        from: this.config.MAIL_FROM,
        to: row.recipient,
        subject: row.subject,
        text: row.body,
        messageId: row.message_id,
        headers: { 'X-Correlation-Id': row.correlation_id, 'X-Event-Id': row.event_id },
      });
      sent = true;
      note('sent', row.subject);
      // The mail is out: recording that must outlast a database restart, or it would be sent again.
      await this.persistently(() => this.mails.markSent(row.id));
      this.logger.info(
        {
          notification_id: Number(row.id),
          event_id: row.event_id,
          correlation_id: row.correlation_id,
          to: row.recipient,
          subject: row.subject,
          delivered_to: where,
        },
        'Mail sent',
      );
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ notification_id: Number(row.id), correlation_id: row.correlation_id, err: reason }, 'Mail not sent; will retry');
      if (!sent) note('failed', reason);
      await this.persistently(() => this.mails.backOff(row.id, reason, MAX_ATTEMPTS)).catch((err) =>
        this.logger.error({ err, notification_id: Number(row.id) }, 'Could not record mail failure; its lease will expire'),
      );
      return false;
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
}
