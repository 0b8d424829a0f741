import { SpanKind } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '@opentelemetry/semantic-conventions';
import type { ConsumeMessage } from 'amqplib';
import { Headers } from '../headers';

/**
 * Which messaging conventions the spans follow, as `OTEL_SEMCONV_STABILITY_OPT_IN` asks:
 * `old` (unset) the ones the platform emitted before, `new` (`messaging`) the current ones
 * only, `dup` (`messaging/dup`) both — see docs/observability.md.
 */
export type SemconvStability = 'old' | 'new' | 'dup';

/** How a consumer settles a delivery: the `messaging.operation.name` of its settle span. */
export type SettleOperation = 'ack' | 'nack' | 'retry' | 'park' | 'dead_letter';

/**
 * The OpenTelemetry messaging attributes (semantic conventions 1.45) the platform emits.
 * Written here rather than imported from `@opentelemetry/semantic-conventions/incubating`,
 * as that package advises for names still in development (they may change in a minor
 * release); the spec checks them against the installed package.
 */
export const MessagingAttributes = {
  SystemName: 'messaging.system.name',
  OperationName: 'messaging.operation.name',
  OperationType: 'messaging.operation.type',
  DestinationName: 'messaging.destination.name',
  ConsumerGroupName: 'messaging.consumer.group.name',
  MessageId: 'messaging.message.id',
  ConversationId: 'messaging.message.conversation_id',
  RoutingKey: 'rabbitmq.destination.routing_key',
  DeliveryTag: 'rabbitmq.message.delivery_tag',
  ErrorType: ATTR_ERROR_TYPE,
  ServerAddress: ATTR_SERVER_ADDRESS,
  ServerPort: ATTR_SERVER_PORT,
} as const;

/** The names the platform emitted before the conventions renamed them. */
export const RenamedMessagingAttributes = {
  System: 'messaging.system',
  RoutingKey: 'messaging.rabbitmq.destination.routing_key',
} as const;

const RABBITMQ = 'rabbitmq';

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

/** The broker node a connection is on, when known (BrokerEndpoint). */
export interface BrokerNode {
  readonly address?: string;
  readonly port?: number;
}

export type SpanAttributes = Record<string, string | number | boolean>;

export interface SpanDescription {
  name: string;
  kind: SpanKind;
  attributes: SpanAttributes;
}

export type MetricAttributes = Record<string, string | number>;

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

/** error.type of a failed operation: the error's own code when it has one, else its class name. */
export function errorTypeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return error instanceof Error ? error.name : '_OTHER';
}

/**
 * The spans' names and attributes, and the metrics' attributes, of the platform's messaging
 * operations on RabbitMQ. Where the conventions changed what the platform emitted before,
 * the stability decides:
 *
 * - a renamed attribute (`messaging.system`, the routing key) is emitted under its old name
 *   (`old`), its new name (`new`), or both (`dup`);
 * - a single-valued concept that changed — the span name, and `messaging.destination.name`,
 *   once the exchange (send) or the queue (process) — takes its new value with `new` and with
 *   `dup`, as the conventions ask of `/dup` ("the new values for span name … and similar
 *   single valued concepts"), its old one with `old`.
 *
 * What the platform did not emit before (settle spans, `messaging.operation.name`, the
 * delivery tag, the conversation id, `server.*`, `error.type`, the metrics) follows the
 * current conventions in every mode.
 */
export class MessagingConventions {
  constructor(
    readonly stability: SemconvStability = 'old',
    private readonly broker: BrokerNode = {},
  ) {}

  /** The producer span of one published message; its context is the message's creation context. */
  sendSpan(message: SentMessage): SpanDescription {
    const destination = sendDestination(message.exchange, message.routingKey);
    return {
      name: this.changed(`publish ${message.routingKey}`, `send ${destination}`),
      kind: SpanKind.PRODUCER,
      attributes: defined({
        ...this.system(),
        [MessagingAttributes.OperationName]: 'send',
        [MessagingAttributes.OperationType]: 'send',
        [MessagingAttributes.DestinationName]: this.changed(message.exchange, destination),
        ...this.routingKey(message.routingKey),
        [MessagingAttributes.MessageId]: message.messageId,
        [MessagingAttributes.ConversationId]: message.correlationId,
        ...this.server(),
      }),
    };
  }

  /** The consumer span of one delivery's handling (push: no receive span before it). */
  processSpan(message: ConsumedMessage): SpanDescription {
    const destination = consumeDestination(message.exchange, message.routingKey, message.queue);
    return {
      name: this.changed(`process ${message.routingKey}`, `process ${destination}`),
      kind: SpanKind.CONSUMER,
      attributes: defined({
        ...this.system(),
        [MessagingAttributes.OperationName]: 'process',
        [MessagingAttributes.OperationType]: 'process',
        [MessagingAttributes.DestinationName]: this.changed(message.queue, destination),
        [MessagingAttributes.ConsumerGroupName]: message.queue,
        ...this.routingKey(message.routingKey),
        [MessagingAttributes.DeliveryTag]: message.deliveryTag,
        [MessagingAttributes.MessageId]: message.messageId,
        [MessagingAttributes.ConversationId]: message.correlationId,
        ...this.server(),
      }),
    };
  }

  /** The span of settling one delivery: an ack, a requeue (nack), or the move to a retry queue or the dead-letter queue. */
  settleSpan(operation: SettleOperation, message: ConsumedMessage): SpanDescription {
    const destination = consumeDestination(message.exchange, message.routingKey, message.queue);
    return {
      name: `${operation} ${destination}`,
      kind: SpanKind.CLIENT,
      attributes: defined({
        ...this.system(),
        [MessagingAttributes.OperationName]: operation,
        [MessagingAttributes.OperationType]: 'settle',
        [MessagingAttributes.DestinationName]: destination,
        [MessagingAttributes.DeliveryTag]: message.deliveryTag,
        [MessagingAttributes.MessageId]: message.messageId,
        [MessagingAttributes.ConversationId]: message.correlationId,
        ...this.server(),
      }),
    };
  }

  /** `messaging.client.sent.messages`: one message sent, and how it ended. */
  sentMetric(message: Pick<SentMessage, 'exchange' | 'routingKey'>, errorType?: string): MetricAttributes {
    return this.metric('send', sendDestination(message.exchange, message.routingKey), undefined, errorType);
  }

  /** `messaging.client.operation.duration` of a send. */
  sendDurationMetric(message: Pick<SentMessage, 'exchange' | 'routingKey'>, errorType?: string): MetricAttributes {
    return { ...this.sentMetric(message, errorType), [MessagingAttributes.OperationType]: 'send' };
  }

  /** `messaging.client.consumed.messages` (a delivery handed to the handler) and `messaging.process.duration`. */
  processMetric(message: ConsumedMessage, errorType?: string): MetricAttributes {
    return this.metric('process', consumeDestination(message.exchange, message.routingKey, message.queue), message.queue, errorType);
  }

  /** `messaging.client.operation.duration` of a settlement. */
  settleDurationMetric(operation: SettleOperation, message: ConsumedMessage, errorType?: string): MetricAttributes {
    const destination = consumeDestination(message.exchange, message.routingKey, message.queue);
    return { ...this.metric(operation, destination, message.queue, errorType), [MessagingAttributes.OperationType]: 'settle' };
  }

  private metric(
    operation: string,
    destination: string,
    consumerGroup: string | undefined,
    errorType: string | undefined,
  ): MetricAttributes {
    return defined({
      [MessagingAttributes.SystemName]: RABBITMQ,
      [MessagingAttributes.OperationName]: operation,
      [MessagingAttributes.DestinationName]: destination,
      [MessagingAttributes.ConsumerGroupName]: consumerGroup,
      [MessagingAttributes.ErrorType]: errorType,
      ...this.server(),
    });
  }

  /** The old value until the current conventions are asked for; `dup` takes the new one (a span has one name). */
  private changed<T>(old: T, current: T): T {
    return this.stability === 'old' ? old : current;
  }

  private renamed(oldName: string, newName: string, value: string): SpanAttributes {
    if (this.stability === 'old') return { [oldName]: value };
    if (this.stability === 'new') return { [newName]: value };
    return { [oldName]: value, [newName]: value };
  }

  private system(): SpanAttributes {
    return this.renamed(RenamedMessagingAttributes.System, MessagingAttributes.SystemName, RABBITMQ);
  }

  private routingKey(routingKey: string): SpanAttributes {
    return routingKey === '' ? {} : this.renamed(RenamedMessagingAttributes.RoutingKey, MessagingAttributes.RoutingKey, routingKey);
  }

  private server(): Record<string, string | number | undefined> {
    return { [MessagingAttributes.ServerAddress]: this.broker.address, [MessagingAttributes.ServerPort]: this.broker.port };
  }
}

function defined<V>(attributes: Record<string, V | undefined>): Record<string, V> {
  const result: Record<string, V> = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) result[key] = value;
  return result;
}
