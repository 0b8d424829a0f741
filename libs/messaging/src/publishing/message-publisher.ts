import type { ConfirmChannel } from 'amqplib';
import { ChannelWrapper } from 'amqp-connection-manager';
import { Logger } from '@todo/observability';
import { AmqpConnection } from '../connection/amqp-connection';
import { declareTopology } from '../topology/declare-topology';
import { Topology } from '../topology/platform-topology';

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

export type PublishOutcome =
  | { messageId: string; status: 'confirmed' }
  | { messageId: string; status: 'returned' | 'failed'; reason: string };

/**
 * Publishes persistent, mandatory messages on a confirm channel. A message counts as
 * published only when the broker confirmed it and did not return it as unroutable.
 */
export class MessagePublisher {
  private readonly channel: ChannelWrapper;
  private readonly returned = new Map<string, string>();

  constructor(
    private readonly connection: AmqpConnection,
    topology: Topology,
    private readonly logger: Logger,
    confirmTimeoutMs = 10_000,
  ) {
    this.channel = connection.createChannel({
      name: 'publisher',
      confirm: true,
      json: false,
      publishTimeout: confirmTimeoutMs,
      setup: async (channel: ConfirmChannel) => {
        channel.on('return', (message) => {
          const id = String(message.properties.messageId);
          const reason = `unroutable: ${message.fields.exchange} / ${message.fields.routingKey}`;
          this.returned.set(id, reason);
          this.logger.error({ message_id: id, routing_key: message.fields.routingKey }, 'Message returned by broker');
        });
        await declareTopology(channel, topology);
        connection.topologyReady();
      },
    });
  }

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  /**
   * Publishes all messages pipelined on one channel (so their order is kept) and
   * reports, per message, whether the broker took responsibility for it.
   */
  async publishAll(messages: readonly OutgoingMessage[]): Promise<PublishOutcome[]> {
    const confirms = messages.map((m) =>
      this.channel.publish(m.exchange, m.routingKey, m.body, {
        persistent: true,
        mandatory: true,
        contentType: 'application/json',
        messageId: m.messageId,
        type: m.type,
        correlationId: m.correlationId,
        timestamp: Math.floor((m.timestamp ?? new Date()).getTime() / 1000),
        headers: m.headers,
      }),
    );
    const settled = await Promise.allSettled(confirms);
    const outcomes = settled.map((result, i): PublishOutcome => {
      const messageId = messages[i].messageId;
      // The broker sends basic.return before the confirm, so it is known by now.
      const returnedReason = this.returned.get(messageId);
      if (returnedReason !== undefined) {
        return { messageId, status: 'returned', reason: returnedReason };
      }
      if (result.status === 'rejected') {
        const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
        return { messageId, status: 'failed', reason };
      }
      return { messageId, status: 'confirmed' };
    });
    // Also forgets returns of timed-out publishes, so a later publish of the same id starts clean.
    for (const message of messages) this.returned.delete(message.messageId);
    return outcomes;
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}
