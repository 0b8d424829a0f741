import { SpanKind } from '@opentelemetry/api';
import { MessagingAttributes, RenamedMessagingAttributes, SemconvStability, SettleOperation } from './messaging-attributes';
import { ConsumedMessage, SentMessage, consumeDestination, sendDestination } from './rabbitmq-destinations';

const RABBITMQ = 'rabbitmq';

/** The broker node a connection is on, when known (AmqpConnection.node). */
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

  /** The span of settling one delivery: an ack, a requeue (reject), or the move to a retry queue or the dead-letter queue. */
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
