import type { Channel } from 'amqplib';
import { brokerVersionOf } from '../connection/broker-version';
import { ConsumerQueue, Topology } from './platform-topology';
import { CLASSIC_QUEUES, QueueSettings, deadLetterQueueArguments, retryQueueArguments, workQueueArguments } from './queue-settings';

/**
 * Asserts every exchange, queue and binding of the topology: what the broker's
 * provisioning does (`npm run broker:setup`, with the administrator's rights) before any
 * service starts, so no event is published while a consumer's queue is missing.
 * Idempotent; a queue that exists with other arguments (another queue type) is refused
 * by the broker (PRECONDITION_FAILED): switching types is a migration.
 */
export async function declareTopology(channel: Channel, topology: Topology, queues: QueueSettings = CLASSIC_QUEUES): Promise<void> {
  await channel.assertExchange(topology.exchange, 'topic', { durable: true });
  await channel.assertExchange(topology.commandExchange, 'direct', { durable: true });
  for (const consumer of topology.consumers) await declareConsumerQueues(channel, topology, consumer, queues);
}

/**
 * What a service declares itself on every (re)connect, with its own broker user's rights:
 * the shared exchanges are only checked (a passive declare needs no right, and a service
 * may not configure what others use), its own queues and bindings are asserted.
 * @throws when the shared exchanges are missing: the broker was not provisioned.
 */
export async function declareOwnTopology(
  channel: Channel,
  topology: Topology,
  consumer?: ConsumerQueue,
  queues: QueueSettings = CLASSIC_QUEUES,
): Promise<void> {
  for (const exchange of [topology.exchange, topology.commandExchange]) {
    await channel.checkExchange(exchange).catch((error: unknown) => {
      throw new Error(`exchange ${exchange} does not exist: provision the broker first (npm run broker:setup): ${String(error)}`);
    });
  }
  if (consumer) await declareConsumerQueues(channel, topology, consumer, queues);
}

/**
 * One consumer's queues and bindings: its work queue, its retry queues and exchange, its
 * dead-letter queue and exchange, with the arguments the broker's version needs.
 */
export async function declareConsumerQueues(
  channel: Channel,
  topology: Topology,
  consumer: ConsumerQueue,
  queues: QueueSettings,
): Promise<void> {
  const broker = brokerVersionOf(channel);
  await channel.assertExchange(consumer.deadLetterExchange, 'fanout', { durable: true });
  await channel.assertQueue(consumer.deadLetterQueue, { durable: true, arguments: deadLetterQueueArguments(queues, broker) });
  await channel.bindQueue(consumer.deadLetterQueue, consumer.deadLetterExchange, '');

  // A message rejected without requeue (e.g. by a consumer of another stack) still lands in the DLQ.
  await channel.assertQueue(consumer.queue, { durable: true, arguments: workQueueArguments(consumer, queues) });
  for (const pattern of consumer.bindings) {
    await channel.bindQueue(consumer.queue, topology.exchange, pattern);
  }
  for (const command of consumer.commands) {
    await channel.bindQueue(consumer.queue, topology.commandExchange, command);
  }
  await channel.assertExchange(consumer.retryExchange, 'direct', { durable: true });
  for (const retry of consumer.retryQueues) {
    // Expired, the broker itself moves the message back to the work queue: no user's right is involved.
    await channel.assertQueue(retry.queue, { durable: true, arguments: retryQueueArguments(consumer, retry, queues) });
    await channel.bindQueue(retry.queue, consumer.retryExchange, retry.queue);
  }
}
