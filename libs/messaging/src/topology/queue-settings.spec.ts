import { brokerDefinitions } from './broker-definitions';
import { NOTIFICATION_QUEUE, PLATFORM_TOPOLOGY } from './platform-topology';
import { CLASSIC_QUEUES, deadLetterQueueArguments, queueSettings, retryQueueArguments, workQueueArguments } from './queue-settings';

describe('queue settings', () => {
  const retry = NOTIFICATION_QUEUE.retryQueues[0];

  it('declares classic queues as they always were: dead-lettering to the consumer’s exchange, retries expiring back', () => {
    expect(workQueueArguments(NOTIFICATION_QUEUE, CLASSIC_QUEUES)).toEqual({ 'x-dead-letter-exchange': 'notification-service.dlx' });
    expect(retryQueueArguments(NOTIFICATION_QUEUE, retry, CLASSIC_QUEUES)).toEqual({
      'x-message-ttl': 1000,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'notification-service',
    });
    expect(deadLetterQueueArguments(CLASSIC_QUEUES)).toEqual({});
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
    expect(deadLetterQueueArguments(quorum)).toEqual({ 'x-queue-type': 'quorum' });
  });

  it('writes the same arguments into a definitions file as the services declare', () => {
    const quorum = queueSettings('quorum');
    const { queues = [] } = brokerDefinitions({ vhost: '/', passwordOf: (u) => u, withTopology: true, queues: quorum });
    for (const consumer of PLATFORM_TOPOLOGY.consumers) {
      expect(queues.find((q) => q.name === consumer.queue)?.arguments).toEqual(workQueueArguments(consumer, quorum));
      expect(queues.find((q) => q.name === consumer.deadLetterQueue)?.arguments).toEqual(deadLetterQueueArguments(quorum));
    }
    expect(queues.every((q) => q.arguments['x-queue-type'] === 'quorum')).toBe(true);
  });
});
