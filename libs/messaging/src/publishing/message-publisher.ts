import type { ConfirmChannel } from 'amqplib';
import { Logger } from '@todo/observability';
import { AmqpConnection } from '../connection/amqp-connection';
import { ManagedChannel } from '../connection/managed-channel';
import { declareOwnTopology } from '../topology/declare-topology';
import { Topology } from '../topology/platform-topology';
import { CONFIRM_TIMEOUT_MS, PublishNotConfirmedError } from './move-message';

export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  /** Unique per message; the broker's return and the consumer's dedup both use it. */
  messageId: string;
  body: Buffer;
  type?: string;
  correlationId?: string;
  headers?: Record<string, unknown>;
  timestamp?: Date;
}

/** `errorType` is stable, for telemetry: `unroutable`, `not_connected`, or a PublishNotConfirmedError's code. */
export type PublishOutcome =
  { messageId: string; status: 'confirmed' } | { messageId: string; status: 'returned' | 'failed'; reason: string; errorType: string };

/**
 * Publishes persistent, mandatory messages on a confirm channel. A message counts as
 * published only when the broker confirmed it and did not return it as unroutable.
 *
 * It publishes straight onto the channel the connection currently has, with one
 * confirm callback per message and one deadline per batch; it keeps nothing in memory
 * across a reconnect. While there is no channel a batch fails at once: its caller (the
 * outbox relay) keeps the messages and tries again.
 */
export class MessagePublisher {
  private readonly channel: ManagedChannel;
  private readonly returned = new Map<string, string>();
  /** Message ids of the batches being published. */
  private readonly inFlight = new Set<string>();
  private current?: ConfirmChannel;

  constructor(
    private readonly connection: AmqpConnection,
    topology: Topology,
    private readonly logger: Logger,
    private readonly confirmTimeoutMs = CONFIRM_TIMEOUT_MS,
  ) {
    this.channel = connection.createChannel({
      name: 'publisher',
      confirm: true,
      json: false,
      setup: async (channel: ConfirmChannel) => {
        channel.on('return', (message) => {
          const id = String(message.properties.messageId);
          // A return for a publish already given up on (past its deadline) must not mark a later one.
          if (!this.inFlight.has(id)) return;
          const reason = `unroutable: ${message.fields.exchange} / ${message.fields.routingKey}`;
          this.returned.set(id, reason);
          this.logger.error({ message_id: id, routing_key: message.fields.routingKey }, 'Message returned by broker');
        });
        channel.once('close', () => {
          if (this.current === channel) this.current = undefined;
        });
        await declareOwnTopology(channel, topology);
        connection.topologyReady();
        this.current = channel;
      },
    });
  }

  /** True when a batch published now would reach the broker. */
  isConnected(): boolean {
    return this.connection.isConnected() && this.current !== undefined;
  }

  /**
   * Publishes all messages pipelined on one channel (so their order is kept) and
   * reports, per message, whether the broker took responsibility for it.
   */
  async publishAll(messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]> {
    const channel = this.current ?? (await this.channelBeingSetUp());
    const errors: (PublishNotConfirmedError | undefined)[] = new Array(messages.length);
    if (!channel) {
      errors.fill(new PublishNotConfirmedError('not_connected', 'not connected to the broker'));
    } else {
      for (const message of messages) this.inFlight.add(message.messageId);
      await this.confirmAll(channel, messages, errors);
    }
    const outcomes = messages.map((message, i): PublishOutcome => {
      const messageId = message.messageId;
      // The broker sends basic.return before the confirm, so it is known by now.
      const returnedReason = this.returned.get(messageId);
      if (returnedReason !== undefined) return { messageId, status: 'returned', reason: returnedReason, errorType: 'unroutable' };
      const error = errors[i];
      if (error !== undefined) return { messageId, status: 'failed', reason: error.message, errorType: error.code };
      return { messageId, status: 'confirmed' };
    });
    // Also forgets returns of timed-out publishes, so a later publish of the same id starts clean.
    for (const message of messages) {
      this.returned.delete(message.messageId);
      this.inFlight.delete(message.messageId);
    }
    return outcomes;
  }

  /** Right after a (re)connect the channel is still declaring the topology: wait for it, within the confirm timeout. */
  private async channelBeingSetUp(): Promise<ConfirmChannel | undefined> {
    if (!this.connection.isConnected()) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.confirmTimeoutMs)));
    await Promise.race([this.channel.waitForConnect(), timeout]).finally(() => clearTimeout(timer));
    return this.current;
  }

  /** Publishes each message and waits until every one is confirmed, refused, or past the deadline. */
  private confirmAll(
    channel: ConfirmChannel,
    messages: readonly OutgoingMessage[],
    errors: (PublishNotConfirmedError | undefined)[],
  ): Promise<void> {
    return new Promise<void>((resolve) => {
      let waiting = messages.length;
      const answered = new Array<boolean>(messages.length).fill(false);
      const settle = (i: number, error?: PublishNotConfirmedError) => {
        if (answered[i]) return;
        answered[i] = true;
        errors[i] = error;
        if (--waiting === 0) {
          clearTimeout(deadline);
          resolve();
        }
      };
      const deadline = setTimeout(() => {
        for (let i = 0; i < messages.length; i++) settle(i, PublishNotConfirmedError.timeout(this.confirmTimeoutMs));
      }, this.confirmTimeoutMs);
      if (messages.length === 0) {
        clearTimeout(deadline);
        resolve();
        return;
      }
      messages.forEach((m, i) => {
        try {
          channel.publish(
            m.exchange,
            m.routingKey,
            m.body,
            {
              persistent: true,
              mandatory: true,
              contentType: 'application/json',
              messageId: m.messageId,
              type: m.type,
              correlationId: m.correlationId,
              timestamp: Math.floor((m.timestamp ?? new Date()).getTime() / 1000),
              headers: m.headers,
            },
            (err) => settle(i, err ? PublishNotConfirmedError.from(err) : undefined),
          );
        } catch (error) {
          // The channel closed under us: this and the rest of the batch did not go out.
          settle(i, PublishNotConfirmedError.from(error));
        }
      });
    });
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}
