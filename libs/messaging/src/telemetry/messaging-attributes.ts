import { ATTR_ERROR_TYPE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '@opentelemetry/semantic-conventions';

/**
 * Which messaging conventions the spans follow, as `OTEL_SEMCONV_STABILITY_OPT_IN` asks:
 * `old` (unset) the ones the platform emitted before, `new` (`messaging`) the current ones
 * only, `dup` (`messaging/dup`) both — see docs/observability.md.
 */
export type SemconvStability = 'old' | 'new' | 'dup';

/** How a consumer settles a delivery: the `messaging.operation.name` of its settle span. */
export type SettleOperation = 'ack' | 'reject' | 'retry' | 'park' | 'dead_letter';

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

/** error.type of a failed operation: the error's own code when it has one, else its class name. */
export function errorTypeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return error instanceof Error ? error.name : '_OTHER';
}
