import amqplib, { ChannelModel } from 'amqplib';
import { createTestVhost, rabbitmqctl } from '../../../../test/support/rabbitmq';
import { waitFor } from '../../../../test/support/wait-for';
import { brokerVersionOf, quorumQueuesLimitDeliveries } from '../connection/broker-version';
import { DeadLetterQueue } from '../dead-letters/dead-letter-queue';
import { declareTopology } from './declare-topology';
import { NOTIFICATION_QUEUE, PLATFORM_TOPOLOGY, TODO_EVENTS_EXCHANGE } from './platform-topology';
import { holdingOf, migrateConsumerQueues } from './queue-migration';
import { CLASSIC_QUEUES, queueSettings } from './queue-settings';

interface ListedQueue {
  name: string;
  type: string;
  messages: number;
  arguments: Record<string, unknown>;
}

async function listQueues(vhost: string): Promise<Map<string, ListedQueue>> {
  const out = await rabbitmqctl('list_queues', '-q', '-p', vhost, 'name', 'type', 'messages', 'arguments', '--formatter', 'json');
  // rabbitmqctl lists arguments as [name, AMQP type, value] triples.
  const rows = JSON.parse(out) as (Omit<ListedQueue, 'arguments'> & { arguments: [string, string, unknown][] })[];
  return new Map(rows.map((q) => [q.name, { ...q, arguments: Object.fromEntries(q.arguments.map(([name, , value]) => [name, value])) }]));
}

async function publish(connection: ChannelModel, exchange: string, routingKey: string, ids: string[]): Promise<void> {
  const channel = await connection.createConfirmChannel();
  for (const id of ids) channel.publish(exchange, routingKey, Buffer.from(JSON.stringify({ id })), { persistent: true, messageId: id });
  await channel.waitForConfirms();
  await channel.close();
}

/** Takes (and acks) every message of a queue; returns their ids. */
async function drain(connection: ChannelModel, queue: string): Promise<string[]> {
  const channel = await connection.createChannel();
  const ids: string[] = [];
  for (let m = await channel.get(queue, { noAck: true }); m; m = await channel.get(queue, { noAck: true }))
    ids.push(String(m.properties.messageId));
  await channel.close();
  return ids;
}

describe('quorum queues', () => {
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let connection: ChannelModel;

  afterEach(async () => {
    await connection?.close().catch(() => undefined);
    await vhost?.dispose();
  });

  async function withTopology(label: string, queues = CLASSIC_QUEUES): Promise<void> {
    vhost = await createTestVhost(label, { queues });
    connection = await amqplib.connect(vhost.url);
  }

  it('declares every work, retry and dead-letter queue as quorum, dead-lettering at least once', async () => {
    await withTopology('quorum', queueSettings('quorum', 7));
    const queues = await listQueues(vhost.vhost);
    for (const consumer of PLATFORM_TOPOLOGY.consumers) {
      expect(queues.get(consumer.queue)).toMatchObject({
        type: 'quorum',
        arguments: {
          'x-queue-type': 'quorum',
          'x-dead-letter-exchange': consumer.deadLetterExchange,
          'x-dead-letter-strategy': 'at-least-once',
          'x-overflow': 'reject-publish',
          'x-delivery-limit': 7,
        },
      });
      for (const retry of consumer.retryQueues) {
        expect(queues.get(retry.queue)).toMatchObject({
          type: 'quorum',
          arguments: { 'x-message-ttl': retry.delayMs, 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' },
        });
      }
      expect(queues.get(consumer.deadLetterQueue)).toMatchObject({ type: 'quorum' });
      // Read from the broker under test: RabbitMQ 3 (where none means none) gets no limit, 4 gets -1 (its default would be 20).
      if (quorumQueuesLimitDeliveries(brokerVersionOf(connection)))
        expect(queues.get(consumer.deadLetterQueue)!.arguments).toMatchObject({ 'x-delivery-limit': -1 });
      else expect(queues.get(consumer.deadLetterQueue)!.arguments).not.toHaveProperty('x-delivery-limit');
    }
    // Declared again the same way: idempotent. Declared as classic: refused, it is a migration.
    const channel = await connection.createChannel();
    await declareTopology(channel, PLATFORM_TOPOLOGY, queueSettings('quorum', 7));
    channel.on('error', () => undefined);
    await expect(declareTopology(channel, PLATFORM_TOPOLOGY, CLASSIC_QUEUES)).rejects.toThrow(/PRECONDITION_FAILED/);
  });

  it('keeps a dead letter in a quorum dead-letter queue however often it is inspected: more than RabbitMQ 4’s default limit of 20', async () => {
    await withTopology('qdlq', queueSettings('quorum'));
    await publish(connection, NOTIFICATION_QUEUE.deadLetterExchange, '', ['dead']);
    const dlq = new DeadLetterQueue(connection, NOTIFICATION_QUEUE);
    const ready = async () => {
      const channel = await connection.createChannel();
      const { messageCount } = await channel.checkQueue(NOTIFICATION_QUEUE.deadLetterQueue);
      await channel.close();
      return messageCount;
    };
    // Each look takes the letter and gives it back when its channel closes: a delivery to the queue.
    for (let look = 0; look < 25; look++) {
      await waitFor('the letter to be back in the queue', async () => (await ready()) === 1);
      expect((await dlq.peek()).map((letter) => letter.messageId)).toEqual(['dead']);
    }
    await waitFor('the letter to be back in the queue', async () => (await ready()) === 1);
    expect(await drain(connection, NOTIFICATION_QUEUE.deadLetterQueue)).toEqual(['dead']);
  });

  it('brings a message back from a quorum retry queue when its delay expires', async () => {
    await withTopology('qretry', queueSettings('quorum'));
    const retry = NOTIFICATION_QUEUE.retryQueues[0];
    await publish(connection, NOTIFICATION_QUEUE.retryExchange, retry.queue, ['waiting']);
    await waitFor(
      'the message to expire back into the work queue',
      async () => (await listQueues(vhost.vhost)).get(NOTIFICATION_QUEUE.queue)!.messages === 1,
    );
    expect(await drain(connection, NOTIFICATION_QUEUE.queue)).toEqual(['waiting']);
  });

  it('dead-letters a message whose consumer dies on it every time, with the delivery limit as its reason', async () => {
    const limit = 3;
    await withTopology('qlimit', queueSettings('quorum', limit));
    await publish(connection, TODO_EVENTS_EXCHANGE, 'todo.completed', ['poison']);
    // A consumer that dies holding the message: its channel closes, the broker takes the message back.
    let deliveries = 0;
    const dlq = new DeadLetterQueue(connection, NOTIFICATION_QUEUE);
    await waitFor('the poison message to reach the dead-letter queue', async () => {
      const channel = await connection.createChannel();
      const message = await channel.get(NOTIFICATION_QUEUE.queue, { noAck: false });
      if (message) deliveries += 1;
      await channel.close();
      return (await dlq.summary()).count === 1;
    });
    expect(deliveries).toBe(limit + 1);
    const [letter] = await dlq.peek();
    expect(letter).toMatchObject({ messageId: 'poison', code: 'DELIVERY_LIMIT' });
    expect(letter.reason).toMatch(/queue notification-service without being settled.*delivery limit/);
    expect((await listQueues(vhost.vhost)).get(NOTIFICATION_QUEUE.queue)!.messages).toBe(0);
  });

  it('migrates a consumer from classic to quorum queues and back while events keep arriving, losing none', async () => {
    await withTopology('qmigrate');
    const retry = NOTIFICATION_QUEUE.retryQueues[NOTIFICATION_QUEUE.retryQueues.length - 1];
    const waiting = Array.from({ length: 300 }, (_, i) => `before-${i}`);
    await publish(connection, TODO_EVENTS_EXCHANGE, 'todo.completed', waiting);
    await publish(connection, NOTIFICATION_QUEUE.retryExchange, retry.queue, ['retrying']);
    await publish(connection, NOTIFICATION_QUEUE.deadLetterExchange, '', ['dead']);

    // Publishers go on throughout.
    const during: string[] = [];
    let publishing = true;
    const publisher = (async () => {
      for (let i = 0; publishing; i++) {
        const batch = Array.from({ length: 20 }, (_, j) => `during-${i}-${j}`);
        await publish(connection, TODO_EVENTS_EXCHANGE, 'todo.completed', batch);
        during.push(...batch);
      }
    })();
    await waitFor('publishing to be under way', async () => during.length >= 100);
    const toQuorum = await migrateConsumerQueues(connection, PLATFORM_TOPOLOGY, NOTIFICATION_QUEUE, queueSettings('quorum'));
    await waitFor('more to be published after the switch', async () => during.length >= 600);
    publishing = false;
    await publisher;

    expect(toQuorum.migrated).toBe(true);
    expect(toQuorum.moved[NOTIFICATION_QUEUE.queue]).toBeGreaterThanOrEqual(waiting.length);
    const queues = await listQueues(vhost.vhost);
    for (const name of [
      NOTIFICATION_QUEUE.queue,
      NOTIFICATION_QUEUE.deadLetterQueue,
      ...NOTIFICATION_QUEUE.retryQueues.map((r) => r.queue),
    ]) {
      expect(queues.get(name)?.type).toBe('quorum');
      expect(queues.has(holdingOf(name))).toBe(false);
    }
    // The other consumers' queues are left as they were.
    expect(queues.get('analytics-service')?.type).toBe('classic');
    expect(await drain(connection, NOTIFICATION_QUEUE.deadLetterQueue)).toEqual(['dead']);

    // Migrated again: nothing to do. Then back to classic.
    expect((await migrateConsumerQueues(connection, PLATFORM_TOPOLOGY, NOTIFICATION_QUEUE, queueSettings('quorum'))).migrated).toBe(false);
    expect((await migrateConsumerQueues(connection, PLATFORM_TOPOLOGY, NOTIFICATION_QUEUE, CLASSIC_QUEUES)).migrated).toBe(true);
    expect((await listQueues(vhost.vhost)).get(NOTIFICATION_QUEUE.queue)?.type).toBe('classic');

    // Every message is there: the retrying one once its delay expired, the ones published during the switch at least once.
    await waitFor('the retrying message to come back', async () => (await listQueues(vhost.vhost)).get(retry.queue)!.messages === 0);
    const received = await drain(connection, NOTIFICATION_QUEUE.queue);
    const expected = [...waiting, 'retrying', ...during];
    expect(expected.filter((id) => !received.includes(id))).toEqual([]);
    expect(new Set(received).size).toBe(expected.length);
    // The messages that waited before the switch keep their order.
    expect(received.filter((id) => id.startsWith('before-'))).toEqual(waiting);
  });

  it('refuses to migrate a queue that has a consumer', async () => {
    await withTopology('qbusy');
    const channel = await connection.createChannel();
    await channel.consume(NOTIFICATION_QUEUE.queue, () => undefined);
    await expect(migrateConsumerQueues(connection, PLATFORM_TOPOLOGY, NOTIFICATION_QUEUE, queueSettings('quorum'))).rejects.toThrow(
      /notification-service has 1 consumer\(s\): stop every instance of notification-service/,
    );
    expect((await listQueues(vhost.vhost)).get(NOTIFICATION_QUEUE.queue)?.type).toBe('classic');
  });
});
