import type { ConfirmChannel, Message } from 'amqplib';

/** How long a publish may wait for the broker's confirm, wherever the platform publishes. */
export const CONFIRM_TIMEOUT_MS = 10_000;

/**
 * A publish the broker did not confirm, with a stable `code` (its `error.type`):
 * `confirm_timeout`, `nacked` (the broker refused it), `channel_closed`, or the class
 * of whatever else the client threw.
 */
export class PublishNotConfirmedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PublishNotConfirmedError';
  }

  /** From what amqplib gave a confirm callback, or threw while publishing. */
  static from(error: unknown): PublishNotConfirmedError {
    if (!(error instanceof Error)) return new PublishNotConfirmedError('nacked', `refused by the broker: ${String(error)}`);
    if (error.message === 'message nacked') return new PublishNotConfirmedError('nacked', error.message);
    if (/channel closed/i.test(error.message)) return new PublishNotConfirmedError('channel_closed', error.message);
    return new PublishNotConfirmedError(error.name, error.message);
  }

  static timeout(timeoutMs: number): PublishNotConfirmedError {
    return new PublishNotConfirmedError('confirm_timeout', `no confirm within ${timeoutMs} ms`);
  }
}

export interface MoveTarget {
  /** '' for the default exchange, whose routing key is a queue name. */
  exchange: string;
  routingKey: string;
  headers: Record<string, unknown>;
}

/**
 * Publishes a copy of `message` to `to` on a confirm channel and resolves once the broker
 * confirmed it — only then may the caller ack the original, so a moved message is never
 * in neither place. Rejects when the broker refuses the copy, the channel closes, or no
 * confirm comes within the timeout, with a PublishNotConfirmedError (the caller then requeues the original: at worst the
 * message exists twice, which the inbox absorbs). The message keeps its id, its
 * correlation and its body; `headers` replace its headers.
 *
 * The one way messages change queues: retries, parking and dead-lettering in the
 * consumer, and the dead-letter redrive.
 */
export function moveMessage(channel: ConfirmChannel, message: Message, to: MoveTarget, timeoutMs = CONFIRM_TIMEOUT_MS): Promise<void> {
  const { properties } = message;
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(PublishNotConfirmedError.timeout(timeoutMs)), timeoutMs);
    const settle = (error?: unknown) => {
      clearTimeout(timer);
      if (error) reject(PublishNotConfirmedError.from(error));
      else resolve();
    };
    try {
      channel.publish(
        to.exchange,
        to.routingKey,
        message.content,
        {
          persistent: true,
          contentType: properties.contentType,
          messageId: properties.messageId,
          correlationId: properties.correlationId,
          timestamp: properties.timestamp,
          type: properties.type,
          headers: to.headers,
        },
        (err) => settle(err ?? undefined),
      );
    } catch (error) {
      // The channel closed under us.
      settle(error);
    }
  });
}
