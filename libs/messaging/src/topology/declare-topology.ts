import type { Channel } from 'amqplib';
import { Topology } from './platform-topology';

/**
 * Asserts every exchange, queue and binding of the topology. Idempotent; safe to run
 * from every service on every (re)connect.
 */
export async function declareTopology(channel: Channel, topology: Topology): Promise<void> {
  await channel.assertExchange(topology.exchange, 'topic', { durable: true });
  await channel.assertExchange(topology.commandExchange, 'direct', { durable: true });
  for (const consumer of topology.consumers) {
    await channel.assertExchange(consumer.deadLetterExchange, 'fanout', { durable: true });
    await channel.assertQueue(consumer.deadLetterQueue, { durable: true });
    await channel.bindQueue(consumer.deadLetterQueue, consumer.deadLetterExchange, '');

    // A message rejected without requeue (e.g. by a consumer of another stack) still lands in the DLQ.
    await channel.assertQueue(consumer.queue, {
      durable: true,
      arguments: { 'x-dead-letter-exchange': consumer.deadLetterExchange },
    });
    for (const pattern of consumer.bindings) {
      await channel.bindQueue(consumer.queue, topology.exchange, pattern);
    }
    for (const command of consumer.commands) {
      await channel.bindQueue(consumer.queue, topology.commandExchange, command);
    }
    for (const retry of consumer.retryQueues) {
      await channel.assertQueue(retry.queue, {
        durable: true,
        arguments: {
          'x-message-ttl': retry.delayMs,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': consumer.queue,
        },
      });
    }
  }
}
