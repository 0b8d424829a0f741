import { CommandType, EventType } from '@todo/events';

/**
 * The platform's whole RabbitMQ topology, defined once. The broker's provisioning
 * declares all of it before any service starts, so whichever service starts first, no
 * message is unroutable; each service then asserts its own queues (declareOwnTopology).
 *
 * Events are published on a topic exchange and reach every queue bound to their type;
 * commands are sent on a direct exchange where each command type is bound to exactly
 * one consumer's queue: a command is addressed to one service, never broadcast.
 */
export const TODO_EVENTS_EXCHANGE = 'todo-events';
export const TODO_COMMANDS_EXCHANGE = 'todo-commands';

export interface RetryQueue {
  delayMs: number;
  queue: string;
}

export interface ConsumerQueue {
  /** Work queue, named after the consuming service. */
  queue: string;
  /** Event routing-key patterns bound on the events exchange. */
  bindings: readonly string[];
  /** Command types this consumer alone handles, bound on the commands exchange. */
  commands: readonly string[];
  /** Where messages that cannot be processed go, with their reason. */
  deadLetterExchange: string;
  deadLetterQueue: string;
  /**
   * Where the consumer sends a message to wait (direct, each retry queue bound by its
   * name): its own exchange, so the consumer needs no right to publish through the
   * default exchange, which reaches every queue.
   */
  retryExchange: string;
  /** Broker-held back-off: one queue per delay, expiring back into the work queue. */
  retryQueues: readonly RetryQueue[];
}

export interface Topology {
  /** Topic exchange for events. */
  exchange: string;
  /** Direct exchange for commands. */
  commandExchange: string;
  consumers: readonly ConsumerQueue[];
}

/** Where a message of a kind and type is published: its exchange, and its type as the routing key. */
export interface Destination {
  exchange: string;
  routingKey: string;
}

/** The seed's back-off: retry after 1 s, 2 s and 3 s, then dead-letter. */
export const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 3000] as const;

export function consumerQueue(
  queue: string,
  bindings: readonly string[],
  { commands = [], retryDelaysMs = DEFAULT_RETRY_DELAYS_MS }: { commands?: readonly string[]; retryDelaysMs?: readonly number[] } = {},
): ConsumerQueue {
  return {
    queue,
    bindings,
    commands,
    deadLetterExchange: `${queue}.dlx`,
    deadLetterQueue: `${queue}.dlq`,
    retryExchange: `${queue}.retry`,
    retryQueues: retryDelaysMs.map((delayMs) => ({ delayMs, queue: `${queue}.retry.${delayMs}ms` })),
  };
}

/**
 * A topology, checked: queue names are distinct, and every command type is handled by
 * exactly one consumer. The commands exchange is `<exchange>.commands` unless named.
 */
export function defineTopology({
  exchange,
  commandExchange = `${exchange}.commands`,
  consumers,
}: {
  exchange: string;
  commandExchange?: string;
  consumers: readonly ConsumerQueue[];
}): Topology {
  const queues = consumers.map((c) => c.queue);
  const repeated = queues.filter((q, i) => queues.indexOf(q) !== i);
  if (repeated.length > 0) throw new Error(`topology declares queue ${repeated[0]} twice`);
  const handlers = new Map<string, string>();
  for (const consumer of consumers) {
    for (const command of consumer.commands) {
      const other = handlers.get(command);
      if (other) throw new Error(`command ${command} is addressed to both ${other} and ${consumer.queue}; a command has one consumer`);
      handlers.set(command, consumer.queue);
    }
  }
  return { exchange, commandExchange, consumers };
}

export function destinationOf(topology: Topology, kind: 'event' | 'command', type: string): Destination {
  return { exchange: kind === 'command' ? topology.commandExchange : topology.exchange, routingKey: type };
}

export const NOTIFICATION_QUEUE = consumerQueue('notification-service', [
  EventType.Todo.Completed,
  EventType.Todo.Created,
  EventType.User.Registered,
  EventType.Order.Confirmed,
  EventType.Order.Cancelled,
]);

export const ANALYTICS_QUEUE = consumerQueue('analytics-service', ['todo.#', 'order.#']);

/** order-service reads its own order events (its views and the saga's start), inventory's replies, and the SKUs that exist. */
export const ORDER_QUEUE = consumerQueue('order-service', [
  'order.#',
  EventType.Inventory.StockSet,
  EventType.Inventory.Reserved,
  EventType.Inventory.ReserveFailed,
  EventType.Inventory.Released,
]);

/** inventory-service takes the inventory commands, addressed to it alone. */
export const INVENTORY_QUEUE = consumerQueue('inventory-service', [], {
  commands: [CommandType.Inventory.Reserve, CommandType.Inventory.Release],
});

/** todo-service reads its own events too: its query views are projections like any other. */
export const TODO_VIEWS_QUEUE = consumerQueue('todo-service', ['todo.#']);

export const PLATFORM_TOPOLOGY: Topology = defineTopology({
  exchange: TODO_EVENTS_EXCHANGE,
  commandExchange: TODO_COMMANDS_EXCHANGE,
  consumers: [NOTIFICATION_QUEUE, ANALYTICS_QUEUE, TODO_VIEWS_QUEUE, ORDER_QUEUE, INVENTORY_QUEUE],
});

export function findConsumer(topology: Topology, queue: string): ConsumerQueue {
  const consumer = topology.consumers.find((c) => c.queue === queue);
  if (!consumer) throw new Error(`queue ${queue} is not part of the topology`);
  return consumer;
}
