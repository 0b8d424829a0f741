import {
  ANALYTICS_QUEUE,
  ConsumerQueue,
  INVENTORY_QUEUE,
  NOTIFICATION_QUEUE,
  ORDER_QUEUE,
  PLATFORM_TOPOLOGY,
  TODO_VIEWS_QUEUE,
  Topology,
} from './platform-topology';

/**
 * What one broker user may do, as RabbitMQ grants it in a vhost: regexes over resource
 * names for configure (declare, delete), write (publish to an exchange, bind a queue)
 * and read (consume a queue, bind from an exchange), and per topic exchange the routing
 * keys it may publish (write) and bind (read).
 */
export interface BrokerPermissions {
  user: string;
  configure: string;
  write: string;
  read: string;
  topics: { exchange: string; write: string; read: string }[];
}

/** A platform service as the broker sees it: the queue it consumes and what it publishes. */
export interface BrokerClient {
  user: string;
  consumer?: ConsumerQueue;
  /** Event types (routing keys) it produces on the events exchange, as one anchored regex; none when absent. */
  publishesEvents?: string;
  /** Whether it sends commands on the commands exchange. */
  sendsCommands?: boolean;
}

/** A regex that matches exactly the names given. RabbitMQ reads Erlang regexes; `^$` matches no resource. */
export function exactly(names: readonly string[]): string {
  if (names.length === 0) return '^$';
  return `^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&')).join('|')})$`;
}

/** Every queue and exchange a consumer owns: its work, dead-letter and retry queues and its two exchanges. */
export function ownResources(consumer: ConsumerQueue): string[] {
  return [
    consumer.queue,
    consumer.deadLetterExchange,
    consumer.deadLetterQueue,
    consumer.retryExchange,
    ...consumer.retryQueues.map((r) => r.queue),
  ];
}

/**
 * Least privilege for one client: it configures only what it owns, publishes only to
 * its own exchanges and the shared ones it produces on, reads only its own queues and
 * the exchanges it binds from; on the events exchange it may publish only its own event
 * types and bind only its own patterns. The shared exchanges are the provisioning's:
 * no service may configure (or delete) them.
 */
export function permissionsOf(topology: Topology, client: BrokerClient): BrokerPermissions {
  const own = client.consumer ? ownResources(client.consumer) : [];
  const bindsEvents = (client.consumer?.bindings.length ?? 0) > 0;
  const takesCommands = (client.consumer?.commands.length ?? 0) > 0;
  return {
    user: client.user,
    configure: exactly(own),
    write: exactly([
      ...own,
      ...(client.publishesEvents ? [topology.exchange] : []),
      ...(client.sendsCommands ? [topology.commandExchange] : []),
    ]),
    read: exactly([...own, ...(bindsEvents ? [topology.exchange] : []), ...(takesCommands ? [topology.commandExchange] : [])]),
    // Without a topic permission on an exchange RabbitMQ allows every routing key: every user gets one.
    topics: [{ exchange: topology.exchange, write: client.publishesEvents ?? '^$', read: exactly(client.consumer?.bindings ?? []) }],
  };
}

/** The broker users of the platform: one per service, each producing only its own event types. */
export const PLATFORM_BROKER_CLIENTS: readonly BrokerClient[] = [
  { user: 'todo-service', consumer: TODO_VIEWS_QUEUE, publishesEvents: '^(todo|user)\\.[a-z_]+$' },
  { user: 'notification-service', consumer: NOTIFICATION_QUEUE },
  { user: 'analytics-service', consumer: ANALYTICS_QUEUE },
  { user: 'order-service', consumer: ORDER_QUEUE, publishesEvents: '^order\\.[a-z_]+$', sendsCommands: true },
  { user: 'inventory-service', consumer: INVENTORY_QUEUE, publishesEvents: '^inventory\\.[a-z_]+$' },
];

/**
 * The operator's tools (dead-letter list, show, purge, redrive): they read the dead-letter
 * queues and put a message back on its consumer's work queue, through the default
 * exchange; they configure nothing and publish no event.
 */
export function operatorPermissions(topology: Topology = PLATFORM_TOPOLOGY): BrokerPermissions {
  return {
    user: 'operator',
    configure: '^$',
    write: exactly(['amq.default']),
    read: exactly(topology.consumers.map((c) => c.deadLetterQueue)),
    topics: [{ exchange: topology.exchange, write: '^$', read: '^$' }],
  };
}

/** Every broker user of the platform with its permissions. */
export function platformPermissions(topology: Topology = PLATFORM_TOPOLOGY): BrokerPermissions[] {
  return [...PLATFORM_BROKER_CLIENTS.map((client) => permissionsOf(topology, client)), operatorPermissions(topology)];
}
