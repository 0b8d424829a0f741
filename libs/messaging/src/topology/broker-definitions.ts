import { createHash } from 'node:crypto';
import { BrokerVersion, RABBITMQ_LINE } from '../connection/broker-version';
import { BrokerPermissions, platformPermissions } from './broker-access';
import { PLATFORM_TOPOLOGY, Topology } from './platform-topology';
import { CLASSIC_QUEUES, QueueSettings, deadLetterQueueArguments, retryQueueArguments, workQueueArguments } from './queue-settings';

/** RabbitMQ's definitions format (`rabbitmqctl import_definitions`, `load_definitions`), the parts used here. */
export interface BrokerDefinitions {
  users: { name: string; password_hash: string; hashing_algorithm: string; tags: string[] }[];
  vhosts: { name: string }[];
  permissions: { user: string; vhost: string; configure: string; write: string; read: string }[];
  topic_permissions: { user: string; vhost: string; exchange: string; write: string; read: string }[];
  exchanges?: { name: string; vhost: string; type: string; durable: boolean; auto_delete: boolean; internal: boolean; arguments: object }[];
  queues?: { name: string; vhost: string; durable: boolean; auto_delete: boolean; arguments: Record<string, unknown> }[];
  bindings?: {
    source: string;
    vhost: string;
    destination: string;
    destination_type: 'queue';
    routing_key: string;
    arguments: object;
  }[];
}

/**
 * RabbitMQ's `rabbit_password_hashing_sha256`: base64 of a 4-byte salt followed by
 * SHA-256(salt ‖ password). The salt is taken from `saltSource` so that a definitions
 * file generated twice is the same file.
 */
export function rabbitPasswordHash(password: string, saltSource: string): string {
  const salt = createHash('sha256').update(`salt:${saltSource}`).digest().subarray(0, 4);
  const hash = createHash('sha256')
    .update(Buffer.concat([salt, Buffer.from(password, 'utf8')]))
    .digest();
  return Buffer.concat([salt, hash]).toString('base64');
}

export interface DefinitionsOptions {
  vhost: string;
  /** Each broker user's password. */
  passwordOf: (user: string) => string;
  topology?: Topology;
  permissions?: BrokerPermissions[];
  /** Also the exchanges, queues and bindings (a broker that loads the file at boot has nobody else to declare them). */
  withTopology?: boolean;
  /** The type the topology's queues are declared as. */
  queues?: QueueSettings;
  /** The RabbitMQ version that loads the file (some queue arguments differ between lines): the line the platform ships with unless told. */
  broker?: BrokerVersion;
}

/** The platform's broker users, their rights in `vhost` and, optionally, the whole topology, as one definitions document. */
export function brokerDefinitions({
  vhost,
  passwordOf,
  topology = PLATFORM_TOPOLOGY,
  permissions = platformPermissions(topology),
  withTopology = false,
  queues = CLASSIC_QUEUES,
  broker = RABBITMQ_LINE,
}: DefinitionsOptions): BrokerDefinitions {
  const definitions: BrokerDefinitions = {
    users: permissions.map((p) => ({
      name: p.user,
      password_hash: rabbitPasswordHash(passwordOf(p.user), p.user),
      hashing_algorithm: 'rabbit_password_hashing_sha256',
      tags: [],
    })),
    vhosts: [{ name: vhost }],
    permissions: permissions.map(({ user, configure, write, read }) => ({ user, vhost, configure, write, read })),
    topic_permissions: permissions.flatMap((p) => p.topics.map((t) => ({ user: p.user, vhost, ...t }))),
  };
  if (withTopology) Object.assign(definitions, topologyDefinitions(vhost, topology, queues, broker));
  return definitions;
}

function topologyDefinitions(
  vhost: string,
  topology: Topology,
  settings: QueueSettings,
  broker: BrokerVersion,
): Pick<BrokerDefinitions, 'exchanges' | 'queues' | 'bindings'> {
  const exchange = (name: string, type: string) => ({
    name,
    vhost,
    type,
    durable: true,
    auto_delete: false,
    internal: false,
    arguments: {},
  });
  const queue = (name: string, args: Record<string, unknown>) => ({ name, vhost, durable: true, auto_delete: false, arguments: args });
  const binding = (source: string, destination: string, routing_key: string) => ({
    source,
    vhost,
    destination,
    destination_type: 'queue' as const,
    routing_key,
    arguments: {},
  });
  const exchanges = [exchange(topology.exchange, 'topic'), exchange(topology.commandExchange, 'direct')];
  const queues = [];
  const bindings = [];
  for (const c of topology.consumers) {
    exchanges.push(exchange(c.deadLetterExchange, 'fanout'), exchange(c.retryExchange, 'direct'));
    queues.push(queue(c.deadLetterQueue, deadLetterQueueArguments(settings, broker)), queue(c.queue, workQueueArguments(c, settings)));
    bindings.push(binding(c.deadLetterExchange, c.deadLetterQueue, ''));
    for (const pattern of c.bindings) bindings.push(binding(topology.exchange, c.queue, pattern));
    for (const command of c.commands) bindings.push(binding(topology.commandExchange, c.queue, command));
    for (const r of c.retryQueues) {
      queues.push(queue(r.queue, retryQueueArguments(c, r, settings)));
      bindings.push(binding(c.retryExchange, r.queue, r.queue));
    }
  }
  return { exchanges, queues, bindings };
}
