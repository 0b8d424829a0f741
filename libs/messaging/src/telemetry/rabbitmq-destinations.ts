import type { ConsumeMessage } from 'amqplib';
import { Headers } from '../headers';

/** A message as sent: where to, and what identifies it. */
export interface SentMessage {
  exchange: string;
  routingKey: string;
  messageId: string;
  correlationId?: string;
}

/** A delivery as consumed: the route it was first published on, the queue it came from. */
export interface ConsumedMessage {
  exchange: string;
  routingKey: string;
  queue: string;
  deliveryTag: number;
  messageId?: string;
  correlationId?: string;
}

/** RabbitMQ's producer destination: `{exchange}:{routing key}`, the one that is set alone, or `amq.default`. */
export function sendDestination(exchange: string, routingKey: string): string {
  if (exchange && routingKey) return `${exchange}:${routingKey}`;
  return exchange || routingKey || 'amq.default';
}

/** RabbitMQ's consumer destination: `{exchange}:{routing key}:{queue}`, empty parts left out, the queue alone when it is the routing key. */
export function consumeDestination(exchange: string, routingKey: string, queue: string): string {
  return [exchange, routingKey === queue ? '' : routingKey, queue].filter((part) => part !== '').join(':');
}

/**
 * A delivery's route as it was first published: a retried message comes back through the
 * default exchange with its work queue as the routing key, and carries where it first went
 * in its headers.
 */
export function consumedMessage(message: ConsumeMessage, queue: string): ConsumedMessage {
  const headers = message.properties.headers ?? {};
  return {
    exchange: String(headers[Headers.OriginalExchange] ?? message.fields.exchange),
    routingKey: String(headers[Headers.OriginalRoutingKey] ?? message.fields.routingKey),
    queue,
    deliveryTag: message.fields.deliveryTag,
    messageId: message.properties.messageId as string | undefined,
    correlationId: message.properties.correlationId as string | undefined,
  };
}
