import amqplib from 'amqplib';
import { createTestVhost, rabbitmqctl } from '../../../../test/support/rabbitmq';
import { declareOwnTopology } from '../topology/declare-topology';
import { PLATFORM_TOPOLOGY } from '../topology/platform-topology';
import { QUEUE_TYPES, queueSettings } from '../topology/queue-settings';
import { brokerVersionOf } from '../connection/broker-version';
import { AsyncApiChannel, PLATFORM_VERSION, buildAsyncApiDocument } from './asyncapi-document';

interface Listed {
  queues: Record<string, { durable: boolean; auto_delete: boolean; exclusive: boolean; arguments: Record<string, unknown> }>;
  bindings: string[];
  exchanges: Record<string, string>;
}

/** What the broker holds in a vhost, as rabbitmqctl lists it. */
async function listVhost(vhost: string): Promise<Listed> {
  const json = async <T>(...args: string[]) => JSON.parse(await rabbitmqctl(...args, '-q', '-p', vhost, '--formatter', 'json')) as T;
  const queues = await json<
    { name: string; durable: boolean; auto_delete: boolean; exclusive: boolean | string; arguments: [string, string, unknown][] }[]
  >('list_queues', 'name', 'durable', 'auto_delete', 'exclusive', 'arguments');
  const bindings = await json<{ source_name: string; destination_name: string; routing_key: string }[]>(
    'list_bindings',
    'source_name',
    'destination_name',
    'routing_key',
  );
  const exchanges = await json<{ name: string; type: string }[]>('list_exchanges', 'name', 'type');
  return {
    queues: Object.fromEntries(
      queues.map((q) => [
        q.name,
        {
          durable: q.durable,
          auto_delete: q.auto_delete,
          // A quorum queue cannot be exclusive: rabbitmqctl lists it as "".
          exclusive: q.exclusive === true,
          arguments: Object.fromEntries(q.arguments.map(([k, , v]) => [k, v])),
        },
      ]),
    ),
    // The default exchange's implicit binding of every queue is not part of the topology.
    bindings: bindings
      .filter((b) => b.source_name !== '')
      .map((b) => `${b.source_name} -> ${b.destination_name} [${b.routing_key}]`)
      .sort(),
    exchanges: Object.fromEntries(exchanges.filter((e) => e.name !== '' && !e.name.startsWith('amq.')).map((e) => [e.name, e.type])),
  };
}

/** The same, as the AsyncAPI document describes it. */
function described(channels: Record<string, AsyncApiChannel>): Listed {
  const queueChannels = Object.values(channels).filter((c) => c.bindings.amqp.is === 'queue');
  const exchanges: Record<string, string> = {};
  const note = (exchange: unknown) => {
    const { name, type } = exchange as { name: string; type: string };
    exchanges[name] = type;
  };
  for (const channel of Object.values(channels)) {
    if (channel.bindings.amqp.is === 'routingKey') note(channel.bindings.amqp.exchange);
    if (channel['x-retry']) note((channel['x-retry'] as { exchange: unknown }).exchange);
    if (channel['x-dead-letter']) note((channel['x-dead-letter'] as { exchange: unknown }).exchange);
  }
  return {
    queues: Object.fromEntries(
      queueChannels.map((c) => {
        const queue = c.bindings.amqp.queue as { name: string; durable: boolean; autoDelete: boolean; exclusive: boolean };
        return [
          queue.name,
          {
            durable: queue.durable,
            auto_delete: queue.autoDelete,
            exclusive: queue.exclusive,
            arguments: c['x-arguments'] as Record<string, unknown>,
          },
        ];
      }),
    ),
    bindings: queueChannels
      .flatMap((c) =>
        (c['x-bindings'] as { exchange: string; routingKey: string }[]).map((b) => `${b.exchange} -> ${c.address} [${b.routingKey}]`),
      )
      .sort(),
    exchanges,
  };
}

describe.each(QUEUE_TYPES)('the AsyncAPI document against a real broker (%s queues)', (type) => {
  const queues = queueSettings(type);
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;

  beforeAll(async () => {
    // Provisioned as npm run broker:setup does it, then each service declares its own queues as it does at start.
    vhost = await createTestVhost(`asyncapi-${type}`, { serviceUsers: true, queues });
    for (const consumer of PLATFORM_TOPOLOGY.consumers) {
      const connection = await amqplib.connect(vhost.urlFor(consumer.queue));
      try {
        await declareOwnTopology(await connection.createChannel(), PLATFORM_TOPOLOGY, consumer, queues);
      } finally {
        await connection.close();
      }
    }
  });

  afterAll(async () => {
    await vhost?.dispose();
  });

  it('lists exactly the queues, arguments, bindings and exchanges the services declared', async () => {
    // Some queue arguments differ between RabbitMQ lines: described for the broker under test.
    const connection = await amqplib.connect(vhost.url);
    const broker = brokerVersionOf(connection);
    await connection.close();
    const document = buildAsyncApiDocument({ version: PLATFORM_VERSION, queues, broker });
    const onBroker = await listVhost(vhost.vhost);
    const inDocument = described(document.channels);
    expect(inDocument.queues).toEqual(onBroker.queues);
    expect(inDocument.bindings).toEqual(onBroker.bindings);
    expect(inDocument.exchanges).toEqual(onBroker.exchanges);
  });
});
