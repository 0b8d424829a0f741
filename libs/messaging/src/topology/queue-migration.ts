import type { Channel, ChannelModel, ConfirmChannel, GetMessage } from 'amqplib';
import { BrokerVersion, brokerVersionOf } from '../connection/broker-version';
import { moveMessage } from '../publishing/move-message';
import { declareConsumerQueues } from './declare-topology';
import { ConsumerQueue, Topology } from './platform-topology';
import { QueueSettings, deadLetterQueueArguments, holdingQueueArguments, retryQueueArguments, workQueueArguments } from './queue-settings';

/** A queue of a consumer and what routes into it. */
interface RoutedQueue {
  name: string;
  arguments: Record<string, unknown>;
  bindings: { exchange: string; routingKey: string }[];
}

export interface QueueMigrationReport {
  consumer: string;
  /** False when every queue already had the target type. */
  migrated: boolean;
  /** Messages carried over, per queue. */
  moved: Record<string, number>;
}

const HOLDING_SUFFIX = '.migrating';
/** Messages moved between two confirms. */
const MOVE_BATCH = 500;

/**
 * Switches one consumer's queues (work, retry, dead-letter) to another queue type. A
 * queue cannot change type in place, so each is drained into a holding queue, deleted,
 * declared anew and refilled:
 *
 * 1. a holding queue `<queue>.migrating` is bound like the queue, then the queue is unbound:
 *    what is published meanwhile waits in the holding queue;
 * 2. the retry queues first (so none expires into a work queue already drained), then the
 *    work queue, then the dead-letter queue are moved into their holding queues, each
 *    message confirmed before it is acked, and deleted once empty;
 * 3. the queues are declared with the target type and bound, and each holding queue is
 *    unbound, moved back and deleted.
 *
 * Nothing is lost: every message is in the queue, its holding queue or both. A message
 * published while both were bound is in both and reaches the consumer twice, which its
 * inbox absorbs, as it does a redelivery. The consumer must be stopped (every instance):
 * a queue with a consumer is refused. Publishers may go on. Run again after an
 * interruption, it carries on from where it stopped.
 */
export async function migrateConsumerQueues(
  connection: ChannelModel,
  topology: Topology,
  consumer: ConsumerQueue,
  target: QueueSettings,
): Promise<QueueMigrationReport> {
  const broker = brokerVersionOf(connection);
  const queues = routedQueues(topology, consumer, target, broker);
  const report: QueueMigrationReport = { consumer: consumer.queue, migrated: false, moved: {} };
  const holdings = await Promise.all(queues.map((q) => exists(connection, holdingOf(q.name))));
  const alreadyTarget = await Promise.all(queues.map((q) => hasArguments(connection, q)));
  if (alreadyTarget.every(Boolean) && !holdings.some(Boolean)) return report;
  report.migrated = true;

  for (const queue of queues) {
    const consumers = await consumerCount(connection, queue.name);
    if (consumers > 0) {
      throw new Error(
        `queue ${queue.name} has ${consumers} consumer(s): stop every instance of ${consumer.queue} before migrating its queues`,
      );
    }
  }
  // A channel remembers the type of each queue it used by name (RabbitMQ 3.10 fails the
  // channel when that queue comes back as another type): the old queues and the new ones
  // are handled on different channels.
  await withConfirmChannel(connection, async (channel) => {
    // 1. Hold what arrives from now on.
    for (const queue of queues) {
      const holding = holdingOf(queue.name);
      await channel.assertQueue(holding, { durable: true, arguments: holdingQueueArguments(target, broker) });
      for (const b of queue.bindings) await channel.bindQueue(holding, b.exchange, b.routingKey);
      if (await exists(connection, queue.name)) {
        for (const b of queue.bindings) await channel.unbindQueue(queue.name, b.exchange, b.routingKey);
      }
    }
    // 2. Empty and delete the old queues.
    for (const queue of queues) {
      if (await exists(connection, queue.name))
        report.moved[queue.name] = await moveAllAndDelete(channel, queue.name, holdingOf(queue.name));
    }
  });
  // 3. The new queues, refilled.
  await withConfirmChannel(connection, async (channel) => {
    await declareConsumerQueues(channel, topology, consumer, target);
    for (const queue of queues) {
      const holding = holdingOf(queue.name);
      for (const b of queue.bindings) await channel.unbindQueue(holding, b.exchange, b.routingKey);
      report.moved[queue.name] = Math.max(report.moved[queue.name] ?? 0, await moveAllAndDelete(channel, holding, queue.name));
    }
  });
  return report;
}

export function holdingOf(queue: string): string {
  return `${queue}${HOLDING_SUFFIX}`;
}

/** Retry queues first, then the work queue, then the dead-letter queue: the order they are emptied in. */
function routedQueues(topology: Topology, consumer: ConsumerQueue, target: QueueSettings, broker: BrokerVersion): RoutedQueue[] {
  return [
    ...consumer.retryQueues.map((retry) => ({
      name: retry.queue,
      arguments: retryQueueArguments(consumer, retry, target),
      bindings: [{ exchange: consumer.retryExchange, routingKey: retry.queue }],
    })),
    {
      name: consumer.queue,
      arguments: workQueueArguments(consumer, target),
      bindings: [
        ...consumer.bindings.map((routingKey) => ({ exchange: topology.exchange, routingKey })),
        ...consumer.commands.map((routingKey) => ({ exchange: topology.commandExchange, routingKey })),
      ],
    },
    {
      name: consumer.deadLetterQueue,
      arguments: deadLetterQueueArguments(target, broker),
      bindings: [{ exchange: consumer.deadLetterExchange, routingKey: '' }],
    },
  ];
}

/**
 * Moves every message of unbound queue `from` to `to` through the default exchange,
 * oldest first, a batch at a time: each batch confirmed before it is acked (a quorum
 * queue confirms once a majority has written it to disk, so one at a time would be slow).
 * Then deletes `from` once it holds nothing (quorum queues have no delete-if-empty;
 * nothing routes into `from` any more). Returns how many were moved.
 */
async function moveAllAndDelete(channel: ConfirmChannel, from: string, to: string): Promise<number> {
  let moved = 0;
  for (;;) {
    const batch: GetMessage[] = [];
    for (let message = await channel.get(from, { noAck: false }); message; message = await channel.get(from, { noAck: false })) {
      batch.push(message);
      if (batch.length === MOVE_BATCH) break;
    }
    if (batch.length > 0) {
      await Promise.all(batch.map((m) => moveMessage(channel, m, { exchange: '', routingKey: to, headers: m.properties.headers ?? {} })));
      channel.ack(batch[batch.length - 1], true);
      moved += batch.length;
      continue;
    }
    const { messageCount } = await channel.checkQueue(from);
    if (messageCount > 0) continue;
    await channel.deleteQueue(from);
    return moved;
  }
}

async function withConfirmChannel(connection: ChannelModel, work: (channel: ConfirmChannel) => Promise<void>): Promise<void> {
  const channel = await connection.createConfirmChannel();
  try {
    await work(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** A declaration the broker refuses closes its channel: each probe gets a channel of its own. */
async function probe<T>(connection: ChannelModel, work: (channel: Channel) => Promise<T>): Promise<T | undefined> {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    return await work(channel);
  } catch {
    return undefined;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

async function exists(connection: ChannelModel, queue: string): Promise<boolean> {
  return (await probe(connection, async (channel) => (await channel.checkQueue(queue), true))) ?? false;
}

async function consumerCount(connection: ChannelModel, queue: string): Promise<number> {
  return (await probe(connection, async (channel) => (await channel.checkQueue(queue)).consumerCount)) ?? 0;
}

/** True when the queue exists with the target's arguments: the broker refuses a declaration of another type. */
async function hasArguments(connection: ChannelModel, queue: RoutedQueue): Promise<boolean> {
  if (!(await exists(connection, queue.name))) return false;
  return (
    (await probe(
      connection,
      async (channel) => (await channel.assertQueue(queue.name, { durable: true, arguments: queue.arguments }), true),
    )) ?? false
  );
}
