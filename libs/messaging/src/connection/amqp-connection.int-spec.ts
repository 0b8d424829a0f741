import { ConfirmChannel } from 'amqplib';
import { captureLogs } from '../../../../test/support/logs';
import { createTestVhost } from '../../../../test/support/rabbitmq';
import { waitFor } from '../../../../test/support/wait-for';
import { AmqpConnection } from './amqp-connection';
import { Topology, consumerQueue, defineTopology } from '../topology/platform-topology';

describe('AmqpConnection channels on RabbitMQ', () => {
  const topology: Topology = defineTopology({ exchange: 'connection-test', consumers: [consumerQueue('connection-probe', ['probe.#'])] });
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let connection: AmqpConnection;
  const logs = captureLogs('amqp-connection-int');

  beforeAll(async () => {
    vhost = await createTestVhost('amqp-connection', { topology });
    connection = new AmqpConnection({
      urls: [vhost.url],
      connectionName: 'amqp-connection-test',
      logger: logs.logger,
      channelSetupTimeoutMs: 500,
    });
    await connection.waitUntilConnected();
  });

  afterAll(async () => {
    await connection?.close();
    await vhost?.dispose();
  });

  it('a setup the broker never finishes is abandoned after its timeout and run again on a new channel, on the same connection', async () => {
    const channels: ConfirmChannel[] = [];
    const wrapper = connection.createChannel({
      name: 'stuck-once',
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        channels.push(channel);
        // The first setup waits on something that never comes, as a declaration left unanswered would.
        if (channels.length === 1) await new Promise<never>(() => undefined);
        await channel.checkQueue('connection-probe');
      },
    });
    try {
      await wrapper.waitForConnect();
      expect(channels).toHaveLength(2);
      expect(logs.find('AMQP channel setup did not finish; closing the channel')).toEqual([
        expect.objectContaining({ channel: 'stuck-once', timeout_ms: 500 }),
      ]);
      await waitFor('the first channel to be closed', () => logs.find('AMQP channel opening again').length === 1);
      expect(logs.find('AMQP disconnected; reconnecting')).toEqual([]);
      expect(logs.find('AMQP channel did not close; reconnecting')).toEqual([]);
      // The new channel works.
      expect((await wrapper.checkQueue('connection-probe')).queue).toBe('connection-probe');
    } finally {
      await wrapper.close();
    }
  });
});
