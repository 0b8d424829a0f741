import { EventType } from '@todo/events';

/**
 * The platform's whole RabbitMQ topology, defined once. Every service asserts all
 * of it at start-up, so whichever service starts first, no event is unroutable.
 */
export const TODO_EVENTS_EXCHANGE = 'todo-events';

export interface ConsumerQueue {
  /** Work queue, named after the consuming service. */
  queue: string;
  /** Routing-key patterns bound on the platform exchange. */
  bindings: readonly string[];
  /** Where messages that cannot be processed go, with their reason. */
  deadLetterExchange: string;
  deadLetterQueue: string;
  /** Broker-held back-off: one queue per delay, expiring back into the work queue. */
  retryQueues: readonly { delayMs: number; queue: string }[];
}

export interface Topology {
  exchange: string;
  consumers: readonly ConsumerQueue[];
}

/** The seed's back-off: retry after 1 s, 2 s and 3 s, then dead-letter. */
export const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 3000] as const;

export function consumerQueue(
  queue: string,
  bindings: readonly string[],
  retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS,
): ConsumerQueue {
  return {
    queue,
    bindings,
    deadLetterExchange: `${queue}.dlx`,
    deadLetterQueue: `${queue}.dlq`,
    retryQueues: retryDelaysMs.map((delayMs) => ({ delayMs, queue: `${queue}.retry.${delayMs}ms` })),
  };
}

export const NOTIFICATION_QUEUE = consumerQueue('notification-service', [
  EventType.Todo.Completed,
  EventType.Todo.Created,
  EventType.User.Registered,
]);

export const ANALYTICS_QUEUE = consumerQueue('analytics-service', ['todo.#']);

/** todo-service reads its own events too: its query views are projections like any other. */
export const TODO_VIEWS_QUEUE = consumerQueue('todo-service', ['todo.#']);

export const PLATFORM_TOPOLOGY: Topology = {
  exchange: TODO_EVENTS_EXCHANGE,
  consumers: [NOTIFICATION_QUEUE, ANALYTICS_QUEUE, TODO_VIEWS_QUEUE],
};

export function findConsumer(topology: Topology, queue: string): ConsumerQueue {
  const consumer = topology.consumers.find((c) => c.queue === queue);
  if (!consumer) throw new Error(`queue ${queue} is not part of the topology`);
  return consumer;
}
