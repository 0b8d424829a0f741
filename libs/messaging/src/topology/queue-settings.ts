import { BrokerVersion, unlimitedDeliveries } from '../connection/broker-version';
import { ConsumerQueue, RetryQueue } from './platform-topology';

/**
 * The kind of queue every work, retry and dead-letter queue is declared as.
 *
 * - `classic`: one copy, on the node that declared it. The default: it is what a single
 *   node needs (a quorum queue on one node replicates nothing and writes more), and an
 *   existing queue cannot change type in place, so a default that changed would refuse
 *   every deployment's existing queues (`npm run broker:migrate-queues` switches them).
 * - `quorum`: Raft-replicated across the cluster's nodes; a message confirmed to the
 *   publisher is on a majority of them, and it survives losing a minority.
 */
export const QUEUE_TYPES = ['classic', 'quorum'] as const;
export type QueueType = (typeof QUEUE_TYPES)[number];

/**
 * A quorum work queue dead-letters a message the broker has handed out this many times
 * without it being settled: a message that crashes its consumer every time ends in the
 * dead-letter queue (with the broker's reason, `delivery_limit`) instead of looping. The
 * consumer's own retries publish fresh copies and do not count; redeliveries after a
 * consumer or connection died do, and so does a message the consumer gives back because
 * it could not move it (`basic.reject`, which RabbitMQ 4.3 still counts where it stopped
 * counting `basic.nack`). Set on every line, so RabbitMQ 4's default (20) never applies unseen.
 */
export const DEFAULT_DELIVERY_LIMIT = 20;

export interface QueueSettings {
  type: QueueType;
  /** Quorum only: deliveries of one message before the broker dead-letters it. */
  deliveryLimit: number;
}

export const CLASSIC_QUEUES: QueueSettings = { type: 'classic', deliveryLimit: DEFAULT_DELIVERY_LIMIT };

export function queueSettings(type: QueueType = 'classic', deliveryLimit = DEFAULT_DELIVERY_LIMIT): QueueSettings {
  return { type, deliveryLimit };
}

/**
 * Quorum queues dead-letter at least once: the broker keeps a message in the source queue
 * until the target confirmed it, so a message moving to a retry or dead-letter queue is
 * never in neither. That strategy needs `reject-publish` overflow (a full queue refuses
 * a publish instead of dropping its oldest message); there is no length limit, so it only
 * decides what a limit would do.
 */
function quorum(settings: QueueSettings): Record<string, unknown> {
  return settings.type === 'quorum' ? { 'x-queue-type': 'quorum' } : {};
}

function atLeastOnceDeadLettering(settings: QueueSettings): Record<string, unknown> {
  return settings.type === 'quorum' ? { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' } : {};
}

/** A consumer's work queue: rejected or over-delivered messages go to its dead-letter exchange. */
export function workQueueArguments(consumer: ConsumerQueue, settings: QueueSettings): Record<string, unknown> {
  return {
    ...quorum(settings),
    'x-dead-letter-exchange': consumer.deadLetterExchange,
    ...atLeastOnceDeadLettering(settings),
    ...(settings.type === 'quorum' ? { 'x-delivery-limit': settings.deliveryLimit } : {}),
  };
}

/** A retry queue: expired, the broker itself moves the message back to the work queue. */
export function retryQueueArguments(consumer: ConsumerQueue, retry: RetryQueue, settings: QueueSettings): Record<string, unknown> {
  return {
    ...quorum(settings),
    'x-message-ttl': retry.delayMs,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': consumer.queue,
    ...atLeastOnceDeadLettering(settings),
  };
}

/**
 * A dead-letter queue keeps what it holds until an operator acts: no delivery limit,
 * since inspecting a dead letter hands it out and takes it back, and a quorum
 * dead-letter queue has nowhere to dead-letter to: from RabbitMQ 4.0 its default limit
 * would drop a letter inspected 20 times, so it is lifted there.
 */
export function deadLetterQueueArguments(settings: QueueSettings, broker: BrokerVersion): Record<string, unknown> {
  return { ...quorum(settings), ...unlimited(settings, broker) };
}

/** A queue the queue migration holds messages in meanwhile (it has no dead-letter exchange either). */
export function holdingQueueArguments(settings: QueueSettings, broker: BrokerVersion): Record<string, unknown> {
  return { ...quorum(settings), ...unlimited(settings, broker) };
}

function unlimited(settings: QueueSettings, broker: BrokerVersion): Record<string, unknown> {
  return settings.type === 'quorum' ? unlimitedDeliveries(broker) : {};
}
