import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { Logger } from '@todo/observability';
import { AmqpConnection } from '../connection/amqp-connection';
import { ManagedChannel } from '../connection/managed-channel';
import { declareOwnTopology } from '../topology/declare-topology';
import { ConsumerQueue, Topology } from '../topology/platform-topology';
import { CLASSIC_QUEUES, QueueSettings } from '../topology/queue-settings';
import { AckCoalescer } from './ack-coalescer';
import { ConsumerPipeline } from './consumer-pipeline';
import { ConsumerTelemetry } from './consumer-telemetry';

export interface RabbitConsumerOptions {
  connection: AmqpConnection;
  topology: Topology;
  consumer: ConsumerQueue;
  /** The type its queues are declared as (classic unless told). */
  queues?: QueueSettings;
  /** Unacknowledged messages the broker may hand this process at once. */
  prefetch: number;
  pipeline: ConsumerPipeline;
  telemetry: ConsumerTelemetry;
  logger: Logger;
  /** How long stop() waits for in-flight messages before giving up on them. */
  drainTimeoutMs?: number;
}

/**
 * The lifecycle of one consumer: a confirm channel that (re)declares the topology, sets
 * the prefetch and consumes the work queue after every (re)connect; each delivery goes
 * through the pipeline and is settled as it answers (acks coalesced per channel); stop()
 * cancels the consumer, lets the messages in flight finish and ack, then closes the channel.
 * A channel that closes takes its unsettled messages with it: the broker redelivers them.
 */
export class RabbitConsumer {
  private channel?: ManagedChannel;
  private readonly consumerTags = new Map<ConfirmChannel, string>();
  private readonly ackers = new Map<ConfirmChannel, AckCoalescer>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(private readonly options: RabbitConsumerOptions) {}

  start(): void {
    const { connection, topology, consumer, queues = CLASSIC_QUEUES, prefetch, logger } = this.options;
    this.channel = connection.createChannel({
      name: `consumer:${consumer.queue}`,
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        await declareOwnTopology(channel, topology, consumer, queues);
        connection.topologyReady();
        if (this.stopping) return;
        await channel.prefetch(prefetch);
        const acker = new AckCoalescer(channel);
        this.ackers.set(channel, acker);
        channel.once('close', () => {
          this.ackers.delete(channel);
          this.consumerTags.delete(channel);
        });
        const { consumerTag } = await channel.consume(
          consumer.queue,
          (message) => {
            if (!message) {
              if (this.stopping) return;
              // The queue went (deleted, or its node lost): closing the channel has it opened again, re-declaring and
              // consuming. The acks already decided go out first.
              logger.error({ queue: consumer.queue }, 'Consumer cancelled by the broker; consuming again');
              acker.flush();
              void channel.close().catch(() => undefined);
              return;
            }
            acker.received(message);
            this.track(this.deliver(channel, acker, message));
          },
          { noAck: false },
        );
        this.consumerTags.set(channel, consumerTag);
        logger.info({ queue: consumer.queue, prefetch }, 'Consuming');
      },
    });
    this.options.telemetry.registerQueueDepths(
      async (queue) => (await this.channel?.checkQueue(queue).catch(() => undefined))?.messageCount,
    );
  }

  /** Stops taking messages, lets in-flight ones finish and ack, then closes the channel. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const [channel, tag] of this.consumerTags) await channel.cancel(tag).catch(() => undefined);
    const drained = Promise.allSettled([...this.inFlight]);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, this.options.drainTimeoutMs ?? 10_000, 'timeout').unref());
    if ((await Promise.race([drained, timeout])) === 'timeout') {
      this.options.logger.warn({ in_flight: this.inFlight.size }, 'Closing with messages in flight; they will be redelivered');
    }
    for (const acker of this.ackers.values()) acker.flush();
    await this.channel?.close();
  }

  private async deliver(channel: ConfirmChannel, acker: AckCoalescer, message: ConsumeMessage): Promise<void> {
    const settlement = await this.options.pipeline.handle(channel, message);
    // A channel that has closed meanwhile has no acker any more: the broker redelivers its messages.
    if (this.ackers.get(channel) !== acker) return;
    const settled = this.options.telemetry.settling(message, settlement === 'ack' ? 'ack' : 'reject');
    if (settlement === 'ack') acker.ack(message, settled);
    else acker.requeue(message, settled);
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((err) => this.options.logger.error({ err }, 'Unexpected failure while handling a message'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
