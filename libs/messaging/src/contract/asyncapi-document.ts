/*
 * The AsyncAPI 3.0 document of the platform, built from the message contracts, the topology and
 * the broker users. One file past 300 lines because its parts reference each other by id —
 * channels name their messages, operations their channels, bindings their queues' arguments —
 * and each id is made in one place here.
 */
import { MessageContracts, MessageKind, PLATFORM_CONTRACTS } from '@todo/events';
import { BrokerVersion, RABBITMQ_LINE } from '../connection/broker-version';
import { Headers } from '../headers';
import { BrokerClient, PLATFORM_BROKER_CLIENTS } from '../topology/broker-access';
import { PLATFORM_TOPOLOGY, Topology } from '../topology/platform-topology';
import {
  CLASSIC_QUEUES,
  QueueSettings,
  deadLetterQueueArguments,
  retryQueueArguments,
  workQueueArguments,
} from '../topology/queue-settings';
import { receives, sendersOf } from './service-messages';

export { topicMatches } from './service-messages';

/**
 * The platform's published contract as an AsyncAPI 3.0 document, generated from the same
 * values the services run on: the message contracts (each event and command, each
 * version, as JSON Schema), the topology (exchanges, every queue, its bindings and
 * arguments) and the broker clients (who publishes what). Nothing in it is written by hand.
 *
 * Channels are of two kinds, as AMQP has them: a routing key on an exchange (where a
 * message is sent) and a queue (where a service receives it). The retry and dead-letter
 * topology, which AsyncAPI has no field for, is in `x-` extensions.
 */
export type AsyncApiDocument = Record<string, unknown> & { channels: Record<string, AsyncApiChannel> };

export interface AsyncApiChannel {
  address: string;
  messages: Record<string, { $ref: string }>;
  bindings: { amqp: Record<string, unknown> };
  [extension: `x-${string}`]: unknown;
}

export interface AsyncApiOptions {
  contracts?: MessageContracts;
  topology?: Topology;
  clients?: readonly BrokerClient[];
  /** The queue arguments described: the default deployment's (classic). */
  queues?: QueueSettings;
  /** The broker whose queue arguments are described (they differ between lines): the line the platform ships with unless told. */
  broker?: BrokerVersion;
  version: string;
}

const AMQP_BINDING_VERSION = '0.3.0';
const VHOST = '/';

/** A message of one type at one version: `todo.created.v2`. */
export const messageId = (type: string, version: number) => `${type}.v${version}`;
export const routingKeyChannel = (kind: MessageKind, type: string) => `${kind}.${type}`;
export const queueChannel = (queue: string) => `queue.${queue}`;

/** The AMQP headers every message carries, as the outbox sets them. */
function headersSchema(kind: MessageKind, type: string): Record<string, unknown> {
  const typeHeader = kind === 'event' ? Headers.EventType : Headers.CommandType;
  return {
    type: 'object',
    properties: {
      [typeHeader]: { type: 'string', enum: [type], description: `The ${kind} type, also the routing key.` },
      [Headers.AggregateId]: {
        type: 'string',
        minLength: 1,
        description: 'The stream (or target) the message is about: handled one at a time per id.',
      },
      [Headers.CorrelationId]: { type: 'string', minLength: 1, description: 'The business flow: the originating HTTP request id.' },
      [Headers.CausationId]: { type: 'string', minLength: 1, description: 'The request or message that directly caused this one.' },
      traceparent: {
        type: 'string',
        pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
        description: 'W3C trace context of the publish.',
      },
      tracestate: { type: 'string' },
      [Headers.Attempt]: {
        type: 'integer',
        minimum: 1,
        description: 'Set once the message went through a retry queue: the delivery it is.',
      },
      [Headers.OutageRetries]: { type: 'integer', minimum: 0, description: 'Times the message was parked while a dependency was down.' },
      [Headers.FirstFailureAt]: { type: 'string', format: 'date-time' },
      [Headers.LastFailureAt]: { type: 'string', format: 'date-time' },
    },
    required: [typeHeader, Headers.AggregateId, Headers.CorrelationId, Headers.CausationId],
  };
}

/** What a message carries once dead-lettered by a consumer, on top of its own headers. */
const DEAD_LETTER_HEADERS = {
  type: 'object',
  properties: {
    [Headers.DeadLetterCode]: {
      type: 'string',
      description: 'Why, as a stable code: MALFORMED_JSON, INVALID_PAYLOAD, RETRIES_EXHAUSTED, …',
    },
    [Headers.DeadLetterReason]: { type: 'string', description: 'Why, for a person.' },
    [Headers.DeadLetterConsumer]: { type: 'string', description: 'The consumer that gave up on it.' },
    [Headers.DeadLetterStack]: { type: 'string' },
    [Headers.OriginalExchange]: { type: 'string' },
    [Headers.OriginalRoutingKey]: { type: 'string' },
  },
  required: [Headers.DeadLetterCode, Headers.DeadLetterReason],
};

function amqpExchange(name: string, type: 'topic' | 'direct' | 'fanout'): Record<string, unknown> {
  return { name, type, durable: true, autoDelete: false, vhost: VHOST };
}

function amqpQueue(name: string): Record<string, unknown> {
  return { name, durable: true, exclusive: false, autoDelete: false, vhost: VHOST };
}

export function buildAsyncApiDocument(options: AsyncApiOptions): AsyncApiDocument {
  const contracts = options.contracts ?? PLATFORM_CONTRACTS;
  const topology = options.topology ?? PLATFORM_TOPOLOGY;
  const clients = options.clients ?? PLATFORM_BROKER_CLIENTS;
  const queues = options.queues ?? CLASSIC_QUEUES;
  const broker = options.broker ?? RABBITMQ_LINE;

  const messages: Record<string, unknown> = {};
  const channels: Record<string, AsyncApiChannel> = {};
  const operations: Record<string, unknown> = {};
  const kinds: MessageKind[] = ['event', 'command'];
  const versionsOf = (kind: MessageKind, type: string) => contracts.versions(kind, type);
  const refs = (kind: MessageKind, type: string) =>
    Object.fromEntries(versionsOf(kind, type).map((v) => [messageId(type, v), { $ref: `#/components/messages/${messageId(type, v)}` }]));

  for (const kind of kinds) {
    for (const type of [...contracts.types(kind)].sort()) {
      const current = contracts.currentVersion(kind, type);
      const senders = sendersOf(clients, kind, type);
      for (const version of versionsOf(kind, type)) {
        messages[messageId(type, version)] = {
          name: type,
          title: `${type} v${version}`,
          ...describeMessage(contracts, kind, type, version, current, senders),
          contentType: 'application/json',
          headers: headersSchema(kind, type),
          payload: contracts.jsonSchema(kind, type, version),
          correlationId: { location: `$message.header#/${Headers.CorrelationId}` },
          bindings: { amqp: { messageType: type, bindingVersion: AMQP_BINDING_VERSION } },
          'x-kind': kind,
          'x-version': version,
          'x-current': version === current,
        };
      }
      const exchange = kind === 'event' ? amqpExchange(topology.exchange, 'topic') : amqpExchange(topology.commandExchange, 'direct');
      channels[routingKeyChannel(kind, type)] = {
        address: type,
        description: `${kind === 'event' ? 'Published' : 'Sent'} on ${String(exchange.name)} with routing key ${type}.`,
        messages: refs(kind, type),
        bindings: { amqp: { is: 'routingKey', exchange, bindingVersion: AMQP_BINDING_VERSION } },
      } as AsyncApiChannel;
      for (const sender of senders) {
        operations[`${sender}.send.${type}`] = {
          action: 'send',
          title: `${sender} ${kind === 'event' ? 'publishes' : 'sends'} ${type}`,
          channel: { $ref: `#/channels/${routingKeyChannel(kind, type)}` },
          messages: [{ $ref: `#/channels/${routingKeyChannel(kind, type)}/messages/${messageId(type, current)}` }],
          bindings: { amqp: { deliveryMode: 2, mandatory: true, timestamp: true, bindingVersion: AMQP_BINDING_VERSION } },
          'x-service': sender,
          'x-outbox': 'Written in the transaction that decided it; the relay publishes in order, with publisher confirms.',
        };
      }
    }
  }

  for (const consumer of topology.consumers) {
    const received = kinds.flatMap((kind) =>
      contracts
        .types(kind)
        .filter((type) => receives(consumer, kind, type))
        .sort()
        .map((type) => ({ kind, type })),
    );
    const receivedRefs = Object.assign({}, ...received.map(({ kind, type }) => refs(kind, type))) as Record<string, { $ref: string }>;
    const work = queueChannel(consumer.queue);
    channels[work] = {
      address: consumer.queue,
      description: `The work queue of ${consumer.queue}: every message it receives, one queue whatever the number of instances.`,
      messages: receivedRefs,
      bindings: { amqp: { is: 'queue', queue: amqpQueue(consumer.queue), bindingVersion: AMQP_BINDING_VERSION } },
      'x-arguments': workQueueArguments(consumer, queues),
      'x-bindings': [
        ...consumer.bindings.map((pattern) => ({ exchange: topology.exchange, routingKey: pattern })),
        ...consumer.commands.map((command) => ({ exchange: topology.commandExchange, routingKey: command })),
      ],
      'x-retry': {
        exchange: amqpExchange(consumer.retryExchange, 'direct'),
        queues: consumer.retryQueues.map((r) => ({
          queue: r.queue,
          delayMs: r.delayMs,
          channel: { $ref: `#/channels/${queueChannel(r.queue)}` },
        })),
        then: { $ref: `#/channels/${queueChannel(consumer.deadLetterQueue)}` },
      },
      'x-dead-letter': {
        exchange: amqpExchange(consumer.deadLetterExchange, 'fanout'),
        channel: { $ref: `#/channels/${queueChannel(consumer.deadLetterQueue)}` },
      },
    } as AsyncApiChannel;
    for (const retry of consumer.retryQueues) {
      channels[queueChannel(retry.queue)] = {
        address: retry.queue,
        description: `Holds a failed message for ${retry.delayMs} ms, then the broker moves it back to ${consumer.queue}.`,
        messages: receivedRefs,
        bindings: { amqp: { is: 'queue', queue: amqpQueue(retry.queue), bindingVersion: AMQP_BINDING_VERSION } },
        'x-arguments': retryQueueArguments(consumer, retry, queues),
        'x-bindings': [{ exchange: consumer.retryExchange, routingKey: retry.queue }],
      } as AsyncApiChannel;
    }
    channels[queueChannel(consumer.deadLetterQueue)] = {
      address: consumer.deadLetterQueue,
      description: `What ${consumer.queue} could not process, kept with its reason until an operator redrives or purges it (npm run dlq).`,
      messages: receivedRefs,
      bindings: { amqp: { is: 'queue', queue: amqpQueue(consumer.deadLetterQueue), bindingVersion: AMQP_BINDING_VERSION } },
      'x-arguments': deadLetterQueueArguments(queues, broker),
      'x-bindings': [{ exchange: consumer.deadLetterExchange, routingKey: '' }],
      'x-dead-letter-headers': DEAD_LETTER_HEADERS,
    } as AsyncApiChannel;

    const messageRefs = (channel: string) => Object.keys(receivedRefs).map((id) => ({ $ref: `#/channels/${channel}/messages/${id}` }));
    operations[`${consumer.queue}.receive`] = {
      action: 'receive',
      title: `${consumer.queue} receives`,
      channel: { $ref: `#/channels/${work}` },
      messages: messageRefs(work),
      bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING_VERSION } },
      'x-service': consumer.queue,
      'x-inbox': 'Each message id is recorded with the handler’s effects in one transaction: a redelivery has no effect twice.',
    };
    const [firstRetry, ...laterRetries] = consumer.retryQueues;
    if (firstRetry) {
      operations[`${consumer.queue}.retry`] = {
        action: 'send',
        title: `${consumer.queue} sends a failed message to wait`,
        channel: { $ref: `#/channels/${queueChannel(firstRetry.queue)}` },
        messages: messageRefs(queueChannel(firstRetry.queue)),
        'x-service': consumer.queue,
        'x-also': laterRetries.map((r) => ({ $ref: `#/channels/${queueChannel(r.queue)}` })),
      };
    }
    operations[`${consumer.queue}.dead-letter`] = {
      action: 'send',
      title: `${consumer.queue} dead-letters a message it cannot process`,
      channel: { $ref: `#/channels/${queueChannel(consumer.deadLetterQueue)}` },
      messages: messageRefs(queueChannel(consumer.deadLetterQueue)),
      'x-service': consumer.queue,
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Todo event platform',
      version: options.version,
      description:
        'Every event and command of the platform, where each is sent and which services receive it. Events go on the topic ' +
        `exchange ${topology.exchange}, routed by their type; commands on the direct exchange ${topology.commandExchange}, ` +
        'each type bound to one queue. Each consumer has one work queue, broker-held retry queues and a dead-letter queue. ' +
        'On the wire a message is one flat JSON object: the envelope and the payload side by side. Generated from the code ' +
        '(npm run asyncapi); do not edit.',
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:5672',
        protocol: 'amqp',
        protocolVersion: '0.9.1',
        description: 'The broker of a local setup (npm run setup:local); a cluster lists one URL per node (AMQP_URLS).',
      },
    },
    channels,
    operations,
    components: { messages },
    'x-queue-types': {
      default: queues.type,
      note: 'QUEUE_TYPE=quorum declares every queue as quorum, dead-lettering at least once, with a delivery limit (docs/running-at-scale.md).',
    },
  };
}

/**
 * A message's summary and description, from what the contracts say of it. An earlier version
 * names who sent it and that it is upcast: it is no longer sent, yet a consumer may meet it
 * in a stream or a queue.
 */
function describeMessage(
  contracts: MessageContracts,
  kind: MessageKind,
  type: string,
  version: number,
  current: number,
  senders: string[],
): { summary: string; description?: string } {
  const described = contracts.description(kind, type);
  if (version === current) {
    return described ? { summary: described.summary, description: described.description } : { summary: `The ${kind} ${type}.` };
  }
  const earlier =
    `An earlier version of ${type}, ${kind === 'event' ? 'published' : 'sent'} by ${senders.join(', ') || 'no service now'} ` +
    `before v${current}; no longer sent, still accepted wherever it is met (a stream, a queue) and upcast to v${current} ` +
    `on read, so handlers only ever see v${current}.`;
  return {
    summary: `${described?.summary ?? `The ${kind} ${type}.`} Earlier version, upcast to v${current} on read.`,
    description: [earlier, described?.earlierVersions?.[version], described?.description].filter(Boolean).join(' '),
  };
}

/** The platform's version, as in package.json (a test keeps the two equal). */
export const PLATFORM_VERSION = '0.1.0';

/** The platform's document: what every service serves at /asyncapi.json and docs/asyncapi.json holds. */
export function platformAsyncApi(): AsyncApiDocument {
  return buildAsyncApiDocument({ version: PLATFORM_VERSION });
}
