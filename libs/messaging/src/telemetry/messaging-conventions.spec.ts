import { SpanKind } from '@opentelemetry/api';
import { MessagingAttributes, RenamedMessagingAttributes } from './messaging-attributes';
import { MessagingConventions } from './messaging-conventions';
import { ConsumedMessage } from './rabbitmq-destinations';

// An `exports` subpath, which the repository's TypeScript resolution (node10) does not read; Node's does.
const semconv = jest.requireActual<Record<string, string>>('@opentelemetry/semantic-conventions/incubating');

const SENT = { exchange: 'todo-events', routingKey: 'todo.created', messageId: 'evt-1', correlationId: 'req-1' };
const CONSUMED: ConsumedMessage = { ...SENT, queue: 'notification-service', deliveryTag: 7 };
const BROKER = { address: 'rabbit-1', port: 5672 };

describe('MessagingConventions', () => {
  it('names the attributes as the installed semantic conventions do, and the renamed ones as they were', () => {
    expect(MessagingAttributes).toEqual({
      SystemName: semconv.ATTR_MESSAGING_SYSTEM_NAME,
      OperationName: semconv.ATTR_MESSAGING_OPERATION_NAME,
      OperationType: semconv.ATTR_MESSAGING_OPERATION_TYPE,
      DestinationName: semconv.ATTR_MESSAGING_DESTINATION_NAME,
      ConsumerGroupName: semconv.ATTR_MESSAGING_CONSUMER_GROUP_NAME,
      MessageId: semconv.ATTR_MESSAGING_MESSAGE_ID,
      ConversationId: semconv.ATTR_MESSAGING_MESSAGE_CONVERSATION_ID,
      RoutingKey: semconv.ATTR_RABBITMQ_DESTINATION_ROUTING_KEY,
      DeliveryTag: semconv.ATTR_RABBITMQ_MESSAGE_DELIVERY_TAG,
      ErrorType: semconv.ATTR_ERROR_TYPE,
      ServerAddress: semconv.ATTR_SERVER_ADDRESS,
      ServerPort: semconv.ATTR_SERVER_PORT,
    });
    expect(RenamedMessagingAttributes).toEqual({
      System: semconv.ATTR_MESSAGING_SYSTEM,
      RoutingKey: semconv.ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY,
    });
  });

  describe('without OTEL_SEMCONV_STABILITY_OPT_IN (old)', () => {
    const conventions = new MessagingConventions('old', BROKER);

    it('keeps the span names, the destinations and the attribute names emitted before', () => {
      const send = conventions.sendSpan(SENT);
      expect(send).toMatchObject({ name: 'publish todo.created', kind: SpanKind.PRODUCER });
      expect(send.attributes).toMatchObject({
        'messaging.system': 'rabbitmq',
        'messaging.destination.name': 'todo-events',
        'messaging.rabbitmq.destination.routing_key': 'todo.created',
        'messaging.operation.type': 'send',
        'messaging.message.id': 'evt-1',
      });
      expect(send.attributes).not.toHaveProperty('messaging.system.name');
      expect(send.attributes).not.toHaveProperty('rabbitmq.destination.routing_key');

      const process = conventions.processSpan(CONSUMED);
      expect(process).toMatchObject({ name: 'process todo.created', kind: SpanKind.CONSUMER });
      expect(process.attributes).toMatchObject({
        'messaging.system': 'rabbitmq',
        'messaging.destination.name': 'notification-service',
        'messaging.consumer.group.name': 'notification-service',
        'messaging.rabbitmq.destination.routing_key': 'todo.created',
      });
    });

    it('adds what was not emitted before under its current name', () => {
      expect(conventions.sendSpan(SENT).attributes).toMatchObject({
        'messaging.operation.name': 'send',
        'messaging.message.conversation_id': 'req-1',
        'server.address': 'rabbit-1',
        'server.port': 5672,
      });
      expect(conventions.processSpan(CONSUMED).attributes).toMatchObject({
        'messaging.operation.name': 'process',
        'rabbitmq.message.delivery_tag': 7,
      });
      const ack = conventions.settleSpan('ack', CONSUMED);
      expect(ack.name).toBe('ack todo-events:todo.created:notification-service');
      expect(ack.attributes).toMatchObject({
        'messaging.system': 'rabbitmq',
        'messaging.destination.name': 'todo-events:todo.created:notification-service',
      });
    });
  });

  describe('OTEL_SEMCONV_STABILITY_OPT_IN=messaging (new)', () => {
    const conventions = new MessagingConventions('new', BROKER);

    it('emits the current span names, destinations and attribute names only', () => {
      const send = conventions.sendSpan(SENT);
      expect(send.name).toBe('send todo-events:todo.created');
      expect(send.attributes).toEqual({
        'messaging.system.name': 'rabbitmq',
        'messaging.operation.name': 'send',
        'messaging.operation.type': 'send',
        'messaging.destination.name': 'todo-events:todo.created',
        'rabbitmq.destination.routing_key': 'todo.created',
        'messaging.message.id': 'evt-1',
        'messaging.message.conversation_id': 'req-1',
        'server.address': 'rabbit-1',
        'server.port': 5672,
      });
      const process = conventions.processSpan(CONSUMED);
      expect(process.name).toBe('process todo-events:todo.created:notification-service');
      expect(process.attributes).toEqual({
        'messaging.system.name': 'rabbitmq',
        'messaging.operation.name': 'process',
        'messaging.operation.type': 'process',
        'messaging.destination.name': 'todo-events:todo.created:notification-service',
        'messaging.consumer.group.name': 'notification-service',
        'rabbitmq.destination.routing_key': 'todo.created',
        'rabbitmq.message.delivery_tag': 7,
        'messaging.message.id': 'evt-1',
        'messaging.message.conversation_id': 'req-1',
        'server.address': 'rabbit-1',
        'server.port': 5672,
      });
    });

    it('settles as a client span of operation type settle, named by the operation', () => {
      for (const operation of ['ack', 'reject', 'retry', 'park', 'dead_letter'] as const) {
        const settle = conventions.settleSpan(operation, CONSUMED);
        expect(settle).toMatchObject({ name: `${operation} todo-events:todo.created:notification-service`, kind: SpanKind.CLIENT });
        expect(settle.attributes).toMatchObject({
          'messaging.system.name': 'rabbitmq',
          'messaging.operation.name': operation,
          'messaging.operation.type': 'settle',
          'rabbitmq.message.delivery_tag': 7,
        });
        expect(settle.attributes).not.toHaveProperty('messaging.system');
      }
    });
  });

  describe('OTEL_SEMCONV_STABILITY_OPT_IN=messaging/dup (dup)', () => {
    const conventions = new MessagingConventions('dup', BROKER);

    it('emits a renamed attribute under both names', () => {
      for (const span of [conventions.sendSpan(SENT), conventions.processSpan(CONSUMED)]) {
        expect(span.attributes).toMatchObject({
          'messaging.system': 'rabbitmq',
          'messaging.system.name': 'rabbitmq',
          'messaging.rabbitmq.destination.routing_key': 'todo.created',
          'rabbitmq.destination.routing_key': 'todo.created',
        });
      }
    });

    it('gives the span name and a value that changed under the same name their current form, as a span holds one', () => {
      const send = conventions.sendSpan(SENT);
      expect(send.name).toBe('send todo-events:todo.created');
      expect(send.attributes['messaging.destination.name']).toBe('todo-events:todo.created');
      const process = conventions.processSpan(CONSUMED);
      expect(process.name).toBe('process todo-events:todo.created:notification-service');
      expect(process.attributes['messaging.destination.name']).toBe('todo-events:todo.created:notification-service');
    });
  });

  it('leaves server.* out while the broker node is not known', () => {
    expect(new MessagingConventions('new').sendSpan(SENT).attributes).not.toHaveProperty('server.address');
  });

  it('describes the metrics with the current attribute names in every mode, error.type only on failure', () => {
    for (const stability of ['old', 'new', 'dup'] as const) {
      const conventions = new MessagingConventions(stability, BROKER);
      expect(conventions.sentMetric(SENT)).toEqual({
        'messaging.system.name': 'rabbitmq',
        'messaging.operation.name': 'send',
        'messaging.destination.name': 'todo-events:todo.created',
        'server.address': 'rabbit-1',
        'server.port': 5672,
      });
      expect(conventions.sendDurationMetric(SENT, 'confirm_timeout')).toMatchObject({
        'messaging.operation.type': 'send',
        'error.type': 'confirm_timeout',
      });
      expect(conventions.processMetric(CONSUMED)).toEqual({
        'messaging.system.name': 'rabbitmq',
        'messaging.operation.name': 'process',
        'messaging.destination.name': 'todo-events:todo.created:notification-service',
        'messaging.consumer.group.name': 'notification-service',
        'server.address': 'rabbit-1',
        'server.port': 5672,
      });
      expect(conventions.settleDurationMetric('dead_letter', CONSUMED)).toMatchObject({
        'messaging.operation.name': 'dead_letter',
        'messaging.operation.type': 'settle',
        'messaging.consumer.group.name': 'notification-service',
      });
    }
  });
});
