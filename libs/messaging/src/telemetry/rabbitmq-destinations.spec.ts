import { deliveredMessage } from '../consuming/testing/fakes';
import { Headers } from '../headers';
import { consumeDestination, consumedMessage, sendDestination } from './rabbitmq-destinations';

describe('RabbitMQ destinations', () => {
  it('is {exchange}:{routing key} where a message is sent, one of them when the other is empty, else amq.default', () => {
    expect(sendDestination('todo-events', 'todo.created')).toBe('todo-events:todo.created');
    expect(sendDestination('', 'notification-service')).toBe('notification-service');
    expect(sendDestination('todo-events', '')).toBe('todo-events');
    expect(sendDestination('', '')).toBe('amq.default');
  });

  it('is {exchange}:{routing key}:{queue} where it is consumed, without empty parts, the queue once when it is the routing key', () => {
    expect(consumeDestination('todo-events', 'todo.created', 'notification-service')).toBe('todo-events:todo.created:notification-service');
    expect(consumeDestination('', 'notification-service', 'notification-service')).toBe('notification-service');
    expect(consumeDestination('todo-events', '', 'analytics-service')).toBe('todo-events:analytics-service');
  });

  it('names a retried delivery by the route it was first published on, from its headers', () => {
    const retried = deliveredMessage(
      '{}',
      { [Headers.OriginalExchange]: 'todo-events', [Headers.OriginalRoutingKey]: 'todo.created' },
      'q',
    );
    (retried.fields as { exchange: string }).exchange = '';
    expect(consumedMessage(retried, 'q')).toMatchObject({
      exchange: 'todo-events',
      routingKey: 'todo.created',
      queue: 'q',
      deliveryTag: 1,
    });
    expect(consumedMessage(deliveredMessage('{}'), 'q')).toMatchObject({ exchange: 'todo-events', routingKey: 'todo.created' });
  });
});
