import { parseBrokerVersion } from '../connection/broker-version';
import { brokerDefinitions } from './broker-definitions';
import { NOTIFICATION_QUEUE, PLATFORM_TOPOLOGY } from './platform-topology';
import {
  CLASSIC_QUEUES,
  deadLetterQueueArguments,
  holdingQueueArguments,
  queueSettings,
  retryQueueArguments,
  workQueueArguments,
} from './queue-settings';

describe('queue settings', () => {
  const retry = NOTIFICATION_QUEUE.retryQueues[0];
  const rabbitmq3 = parseBrokerVersion('3.13.7');
  const rabbitmq4 = parseBrokerVersion('4.3.5');

  it('declares classic queues as they always were: dead-lettering to the consumer’s exchange, retries expiring back', () => {
    expect(workQueueArguments(NOTIFICATION_QUEUE, CLASSIC_QUEUES)).toEqual({ 'x-dead-letter-exchange': 'notification-service.dlx' });
    expect(retryQueueArguments(NOTIFICATION_QUEUE, retry, CLASSIC_QUEUES)).toEqual({
      'x-message-ttl': 1000,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'notification-service',
    });
    expect(deadLetterQueueArguments(CLASSIC_QUEUES, rabbitmq3)).toEqual({});
    expect(deadLetterQueueArguments(CLASSIC_QUEUES, rabbitmq4)).toEqual({});
  });

  it('declares quorum queues dead-lettering at least once, with the delivery limit on the work queue only', () => {
    const quorum = queueSettings('quorum', 9);
    expect(workQueueArguments(NOTIFICATION_QUEUE, quorum)).toEqual({
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': 'notification-service.dlx',
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
      'x-delivery-limit': 9,
    });
    expect(retryQueueArguments(NOTIFICATION_QUEUE, retry, quorum)).toMatchObject({
      'x-queue-type': 'quorum',
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    });
    expect(retryQueueArguments(NOTIFICATION_QUEUE, retry, quorum)).not.toHaveProperty('x-delivery-limit');
    expect(deadLetterQueueArguments(quorum, rabbitmq3)).toEqual({ 'x-queue-type': 'quorum' });
  });

  it('lifts RabbitMQ 4’s default delivery limit from quorum dead-letter and holding queues, which have nowhere to dead-letter to', () => {
    const quorum = queueSettings('quorum');
    for (const broker of ['4.0.0+2', '4.2.8', '4.3.5'].map(parseBrokerVersion)) {
      expect(deadLetterQueueArguments(quorum, broker)).toEqual({ 'x-queue-type': 'quorum', 'x-delivery-limit': -1 });
      expect(holdingQueueArguments(quorum, broker)).toEqual({ 'x-queue-type': 'quorum', 'x-delivery-limit': -1 });
    }
  });

  it('sets no delivery limit on quorum dead-letter and holding queues before RabbitMQ 4, where none means none and -1 would dead-letter at once', () => {
    const quorum = queueSettings('quorum');
    for (const broker of ['3.10.8', '3.13.7'].map(parseBrokerVersion)) {
      expect(deadLetterQueueArguments(quorum, broker)).toEqual({ 'x-queue-type': 'quorum' });
      expect(holdingQueueArguments(quorum, broker)).toEqual({ 'x-queue-type': 'quorum' });
    }
    expect(holdingQueueArguments(CLASSIC_QUEUES, rabbitmq4)).toEqual({});
  });

  it('writes the same arguments into a definitions file as the services declare', () => {
    const quorum = queueSettings('quorum');
    for (const broker of [rabbitmq3, rabbitmq4]) {
      const { queues = [] } = brokerDefinitions({ vhost: '/', passwordOf: (u) => u, withTopology: true, queues: quorum, broker });
      for (const consumer of PLATFORM_TOPOLOGY.consumers) {
        expect(queues.find((q) => q.name === consumer.queue)?.arguments).toEqual(workQueueArguments(consumer, quorum));
        expect(queues.find((q) => q.name === consumer.deadLetterQueue)?.arguments).toEqual(deadLetterQueueArguments(quorum, broker));
      }
      expect(queues.every((q) => q.arguments['x-queue-type'] === 'quorum')).toBe(true);
    }
  });
});
