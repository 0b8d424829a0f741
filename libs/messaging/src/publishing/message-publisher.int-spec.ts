import amqplib from 'amqplib';
import { captureLogs } from '../../../../test/support/logs';
import { createTestVhost } from '../../../../test/support/rabbitmq';
import { waitFor } from '../../../../test/support/wait-for';
import { AmqpConnection } from '../connection/amqp-connection';
import { declareTopology } from '../topology/declare-topology';
import { Topology, consumerQueue, defineTopology } from '../topology/platform-topology';
import { MessagePublisher } from './message-publisher';

describe('MessagePublisher on RabbitMQ', () => {
  const topology: Topology = defineTopology({ exchange: 'publisher-test', consumers: [consumerQueue('publisher-probe', ['bound.#'])] });
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let connection: AmqpConnection;
  let publisher: MessagePublisher;
  const logs = captureLogs('test');

  beforeAll(async () => {
    vhost = await createTestVhost('publisher', { topology });
    connection = new AmqpConnection({ urls: [vhost.url], connectionName: 'publisher-test', logger: logs.logger });
    publisher = new MessagePublisher(connection, topology, logs.logger);
    await connection.waitUntilConnected();
  });

  afterAll(async () => {
    await publisher?.close();
    await connection?.close();
    await vhost?.dispose();
  });

  const message = (routingKey: string, messageId: string) => ({
    exchange: topology.exchange,
    routingKey,
    messageId,
    body: Buffer.from('{}'),
  });

  it('reports a routed message as confirmed and an unroutable one as returned — never as published', async () => {
    const outcomes = await publisher.publishAll([
      message('bound.one', 'm-1'),
      message('nobody.listens', 'm-2'),
      message('bound.two', 'm-3'),
    ]);

    expect(outcomes).toEqual([
      { messageId: 'm-1', status: 'confirmed' },
      { messageId: 'm-2', status: 'returned', reason: 'unroutable: publisher-test / nobody.listens', errorType: 'unroutable' },
      { messageId: 'm-3', status: 'confirmed' },
    ]);
    expect(logs.find('Message returned by broker')).toEqual([
      expect.objectContaining({ message_id: 'm-2', routing_key: 'nobody.listens' }),
    ]);
  });

  it('declares the whole topology before its first publish, so a message finds its queue even if no consumer ever started', async () => {
    const [outcome] = await publisher.publishAll([message('bound.early', 'm-4')]);
    expect(outcome.status).toBe('confirmed');
  });

  it('a publish the broker refuses with a channel error fails alone; the channel opens again, and publishes go on once the exchange is back', async () => {
    const reconnects = logs.find('AMQP disconnected; reconnecting').length;
    const client = await amqplib.connect(vhost.url);
    try {
      const admin = await client.createChannel();
      await admin.deleteExchange(topology.exchange);

      const [refused] = await publisher.publishAll([message('bound.gone', 'm-gone')]);
      expect(refused).toMatchObject({ status: 'failed', errorType: 'channel_closed' });
      expect(logs.find('AMQP channel closed by the broker')).toEqual(
        expect.arrayContaining([expect.objectContaining({ channel: 'publisher', err: expect.stringMatching(/NOT_FOUND/) })]),
      );
      // Services only check the exchange (provisioning declares it): the reopened channel waits for it.
      await waitFor('the missing exchange to be reported', () =>
        logs.find('AMQP channel setup failed; it is retried').some((l) => /does not exist: provision the broker first/.test(String(l.err))),
      );
      await declareTopology(admin, topology);
      await admin.close();

      await waitFor(
        'a publish to be confirmed again',
        async () => (await publisher.publishAll([message('bound.back', `m-back-${Date.now()}`)]))[0].status === 'confirmed',
        { timeoutMs: 30_000 },
      );
      expect(logs.find('AMQP disconnected; reconnecting')).toHaveLength(reconnects);
    } finally {
      await client.close();
    }
  });

  it('survives being closed while its channel is still declaring the topology', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      for (let i = 0; i < 5; i++) {
        const early = new AmqpConnection({ urls: [vhost.url], connectionName: `publisher-early-${i}`, logger: logs.logger });
        const earlyPublisher = new MessagePublisher(early, topology, logs.logger);
        await new Promise<void>((resolve) => early.manager.once('connect', () => resolve()));
        await earlyPublisher.close();
        await early.close();
      }
      await waitFor('a setup cut short to be reported', () => logs.find('AMQP channel setup failed; it is retried').length > 0);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
