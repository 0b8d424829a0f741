/**
 * @golevelup/nestjs-rabbitmq, the NestJS RabbitMQ library teams most often pick instead of
 * the stock transport, set up for reliable delivery as its README recommends. Read against
 * its source (lib/amqp/connection.js, 9.0.2):
 *
 * - Publisher confirms are always on: AmqpConnection.publish() goes through an
 *   amqp-connection-manager ChannelWrapper, a confirm channel by default, and its promise
 *   settles when the broker confirms the message. There is no option for it either way.
 * - `defaultPublishOptions: { persistent: true }`: the README's way to make every publish
 *   persistent (queues and exchanges are durable).
 * - Acks are the library's: a subscribe handler's message is acked after the handler's
 *   promise resolved (a returned Nack rejects it instead); consumers run with noAck false.
 * - `defaultSubscribeErrorBehavior: NACK`: the README warns that the default, REQUEUE,
 *   loops forever on a persistent error; NACK dead-letters instead (never exercised here).
 * - Prefetch: the other contenders' window, on a channel of its own for the consumer
 *   (`channels` + `queueOptions.channel`), so that publishes and the consumer's acks do not
 *   share one channel; raw amqplib and the stock transport also use two.
 * - `enableDirectReplyTo: false`: nothing here uses its RPC, which would otherwise consume
 *   amq.rabbitmq.reply-to on the publishing channel.
 * - TCP_NODELAY, as every contender has: `connectionManagerOptions.connectionOptions`
 *   reaches amqplib's connect.
 */
import type { LoggerService } from '@nestjs/common';
import { MessageHandlerErrorBehavior, RabbitMQConfig } from '@golevelup/nestjs-rabbitmq';

/** The channel its subscribe handlers consume on (name it in `queueOptions.channel`). */
export const GOLEVELUP_CONSUMER_CHANNEL = 'consumer';

export function golevelupConfig(url: string, options: { prefetch: number; exchange?: string; logger: LoggerService }): RabbitMQConfig {
  return {
    uri: url,
    exchanges: options.exchange ? [{ name: options.exchange, type: 'topic', options: { durable: true } }] : [],
    channels: { [GOLEVELUP_CONSUMER_CHANNEL]: { prefetchCount: options.prefetch } },
    prefetchCount: options.prefetch,
    defaultPublishOptions: { persistent: true },
    defaultSubscribeErrorBehavior: MessageHandlerErrorBehavior.NACK,
    enableDirectReplyTo: false,
    connectionManagerOptions: { connectionOptions: { noDelay: true } },
    logger: options.logger,
  };
}
