import type { Channel, ChannelModel, ConfirmChannel, GetMessage } from 'amqplib';
import { Headers } from '../headers';
import { moveMessage } from '../publishing/move-message';
import { ConsumerQueue } from '../topology/platform-topology';

/** One message waiting in a consumer's dead-letter queue, with why it is there. */
export interface DeadLetter {
  messageId: string;
  eventType: string | null;
  code: string;
  reason: string;
  attempts: number;
  originalRoutingKey: string | null;
  firstFailureAt: string | null;
  lastFailureAt: string | null;
  headers: Record<string, unknown>;
  body: string;
}

export interface DeadLetterSummary {
  queue: string;
  count: number;
  reasons: { code: string; reason: string; count: number }[];
}

export interface RedriveOptions {
  /** Redrive at most this many (the oldest first). */
  limit?: number;
  /** Count what would be redriven; move nothing. */
  dryRun?: boolean;
  onProgress?: (redriven: number, of: number) => void;
}

/** Headers the failure added; a redriven message starts afresh without them. */
const FAILURE_HEADERS: string[] = [
  Headers.Attempt,
  Headers.FirstFailureAt,
  Headers.LastFailureAt,
  Headers.DeadLetterReason,
  Headers.DeadLetterCode,
  Headers.DeadLetterStack,
  Headers.DeadLetterConsumer,
];
const REDRIVE_COUNT = 'x-redrive-count';

/**
 * Operations on one consumer's dead-letter queue: inspect, redrive, purge.
 *
 * Inspecting reads messages without acknowledging them and lets them return to the
 * queue when the channel closes. Redriving publishes a fresh copy to the consumer's
 * own work queue (not the exchange, so other consumers are not sent it again), waits
 * for the broker's confirm, then acks the dead letter. A redriven message that was
 * in fact processed before is recognised by the consumer's inbox and has no second
 * effect.
 */
export class DeadLetterQueue {
  constructor(
    private readonly connection: ChannelModel,
    readonly consumer: ConsumerQueue,
  ) {}

  async summary(): Promise<DeadLetterSummary> {
    const letters = await this.peek();
    const groups = new Map<string, { code: string; reason: string; count: number }>();
    for (const letter of letters) {
      const key = `${letter.code}\u0000${letter.reason}`;
      const group = groups.get(key) ?? { code: letter.code, reason: letter.reason, count: 0 };
      group.count += 1;
      groups.set(key, group);
    }
    return {
      queue: this.consumer.deadLetterQueue,
      count: letters.length,
      reasons: [...groups.values()].sort((a, b) => b.count - a.count),
    };
  }

  /** Every dead letter, oldest first, left in the queue. */
  async peek(): Promise<DeadLetter[]> {
    return this.withChannel(async (channel) => {
      const messages = await this.getAll(channel);
      return messages.map(toDeadLetter);
    });
  }

  async find(messageId: string): Promise<DeadLetter | undefined> {
    return (await this.peek()).find((letter) => letter.messageId === messageId);
  }

  /**
   * Sends the dead letters that `select` picks back to the consumer's work queue with
   * a fresh attempt count, oldest first: at most `limit` of them, or none with `dryRun`
   * (which only counts them). `onProgress` hears the running count and how many were
   * picked. Returns how many were (or, dry, would be) redriven.
   */
  async redrive(select: (letter: DeadLetter) => boolean = () => true, options: RedriveOptions = {}): Promise<number> {
    const channel = await this.connection.createConfirmChannel();
    try {
      const picked = (await this.getAll(channel)).filter((message) => select(toDeadLetter(message))).slice(0, options.limit ?? Infinity);
      options.onProgress?.(0, picked.length);
      if (options.dryRun) return picked.length;
      let redriven = 0;
      for (const message of picked) {
        const headers = { ...message.properties.headers };
        for (const name of FAILURE_HEADERS) delete headers[name];
        headers[REDRIVE_COUNT] = Number(headers[REDRIVE_COUNT] ?? 0) + 1;
        // To the consumer's own queue (the default exchange), not the exchange: other consumers are not sent it again.
        await moveMessage(channel, message, { exchange: '', routingKey: this.consumer.queue, headers });
        channel.ack(message);
        redriven += 1;
        options.onProgress?.(redriven, picked.length);
      }
      return redriven;
    } finally {
      // Closing returns every message not acked above to the dead-letter queue.
      await channel.close();
    }
  }

  /** Deletes every dead letter; returns how many there were. */
  async purge(): Promise<number> {
    return this.withChannel(async (channel) => (await channel.purgeQueue(this.consumer.deadLetterQueue)).messageCount);
  }

  private async withChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
    const channel = await this.connection.createChannel();
    try {
      return await work(channel);
    } finally {
      await channel.close();
    }
  }

  /** Takes (without acking) every message that was in the queue when called. */
  private async getAll(channel: Channel | ConfirmChannel): Promise<GetMessage[]> {
    const { messageCount } = await channel.checkQueue(this.consumer.deadLetterQueue);
    const messages: GetMessage[] = [];
    for (let i = 0; i < messageCount; i++) {
      const message = await channel.get(this.consumer.deadLetterQueue, { noAck: false });
      if (!message) break;
      messages.push(message);
    }
    return messages;
  }
}

function toDeadLetter(message: GetMessage): DeadLetter {
  const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
  const text = (name: string) => (headers[name] === undefined ? null : String(headers[name]));
  return {
    messageId: String(message.properties.messageId ?? ''),
    eventType: text(Headers.EventType) ?? (message.properties.type ? String(message.properties.type) : null),
    ...(text(Headers.DeadLetterCode) !== null
      ? { code: text(Headers.DeadLetterCode)!, reason: text(Headers.DeadLetterReason) ?? '' }
      : brokerDeadLetterReason(headers)),
    attempts: Number(headers[Headers.Attempt] ?? 1),
    originalRoutingKey: text(Headers.OriginalRoutingKey),
    firstFailureAt: text(Headers.FirstFailureAt),
    lastFailureAt: text(Headers.LastFailureAt),
    headers,
    body: message.content.toString('utf8'),
  };
}

/** A death RabbitMQ recorded (`x-death`), newest first. */
interface Death {
  reason?: string;
  queue?: string;
  count?: number;
}

/**
 * Why the broker itself dead-lettered a message that the consumer never routed: a quorum
 * queue's delivery limit (the consumer died or gave it back every time), or a rejection
 * without requeue by a consumer of another stack.
 */
export function brokerDeadLetterReason(headers: Record<string, unknown>): { code: string; reason: string } {
  const deaths = Array.isArray(headers['x-death']) ? (headers['x-death'] as Death[]) : [];
  const death = deaths[0];
  const limit = headers['x-delivery-count'];
  switch (death?.reason) {
    case 'delivery_limit':
      return {
        code: 'DELIVERY_LIMIT',
        reason:
          `delivered ${limit === undefined ? 'too many' : String(limit)} times by queue ${String(death.queue)} without being settled: ` +
          "its consumer died or gave it back every time, and the queue's delivery limit was reached",
      };
    case 'rejected':
      return { code: 'REJECTED', reason: `rejected without requeue by a consumer of queue ${String(death.queue)}` };
    case undefined:
      return { code: 'UNKNOWN', reason: 'dead-lettered without a reason' };
    default:
      return { code: death.reason.toUpperCase(), reason: `dead-lettered by queue ${String(death.queue)}: ${death.reason}` };
  }
}
