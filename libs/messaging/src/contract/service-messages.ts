import { MessageContracts, MessageKind, PLATFORM_CONTRACTS } from '@todo/events';
import { BrokerClient, PLATFORM_BROKER_CLIENTS } from '../topology/broker-access';
import { ConsumerQueue, PLATFORM_TOPOLOGY, Topology } from '../topology/platform-topology';

/** Whether a topic exchange delivers `routingKey` to a binding of `pattern` (`*` one word, `#` zero or more). */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const match = (p: string[], k: string[]): boolean => {
    if (p.length === 0) return k.length === 0;
    if (p[0] === '#') return match(p.slice(1), k) || (k.length > 0 && match(p, k.slice(1)));
    return k.length > 0 && (p[0] === '*' || p[0] === k[0]) && match(p.slice(1), k.slice(1));
  };
  return match(pattern.split('.'), routingKey.split('.'));
}

/** Whether a consumer's queue is bound to get messages of `type`. */
export function receives(consumer: ConsumerQueue, kind: MessageKind, type: string): boolean {
  return kind === 'event' ? consumer.bindings.some((pattern) => topicMatches(pattern, type)) : consumer.commands.includes(type);
}

/** The broker users allowed to publish (events) or send (commands) messages of `type`. */
export function sendersOf(clients: readonly BrokerClient[], kind: MessageKind, type: string): string[] {
  return clients
    .filter((client) =>
      kind === 'event'
        ? client.publishesEvents !== undefined && new RegExp(client.publishesEvents).test(type)
        : client.sendsCommands === true,
    )
    .map((client) => client.user);
}

/** What one service puts on the broker and takes from it, by message type. */
export interface ServiceMessages {
  publishes: string[];
  sends: string[];
  receives: string[];
}

/**
 * A service's messages, derived from the contracts, the topology and the broker clients (a
 * service is its broker user and its queue): what its API descriptions say it publishes,
 * sends and receives, so that no list of them is written by hand.
 */
export function messagesOf(
  service: string,
  contracts: MessageContracts = PLATFORM_CONTRACTS,
  topology: Topology = PLATFORM_TOPOLOGY,
  clients: readonly BrokerClient[] = PLATFORM_BROKER_CLIENTS,
): ServiceMessages {
  const from = (kind: MessageKind) =>
    contracts
      .types(kind)
      .filter((type) => sendersOf(clients, kind, type).includes(service))
      .sort();
  const consumer = topology.consumers.find((c) => c.queue === service);
  return {
    publishes: from('event'),
    sends: from('command'),
    receives: consumer
      ? (['event', 'command'] as const).flatMap((kind) =>
          contracts
            .types(kind)
            .filter((type) => receives(consumer, kind, type))
            .sort(),
        )
      : [],
  };
}
