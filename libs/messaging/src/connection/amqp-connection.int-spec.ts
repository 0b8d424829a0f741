import { ConfirmChannel } from 'amqplib';
import { captureLogs } from '../../../../test/support/logs';
import { createTestVhost } from '../../../../test/support/rabbitmq';
import { waitFor } from '../../../../test/support/wait-for';
import { AmqpConnection, brokerNodeOf } from './amqp-connection';
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

  it('names the cause of every refused attempt, as the explainer it was given tells it', async () => {
    const refused = new AmqpConnection({
      urls: [vhost.url.replace(/\/\/([^:]+):[^@]+@/, '//$1:not-the-password@')],
      connectionName: 'amqp-connection-refused',
      logger: logs.logger,
      reconnectSeconds: 0.2,
      explainFailure: (error) =>
        /ACCESS_REFUSED/.test(error.message) ? { cause: 'login-refused', hint: 'check the password' } : undefined,
    });
    try {
      await waitFor('a refused attempt', () => logs.find('AMQP connection attempt failed; retrying').length > 0);
      expect(logs.find('AMQP connection attempt failed; retrying')[0]).toMatchObject({
        err: expect.stringContaining('ACCESS_REFUSED'),
        cause: 'login-refused',
        hint: 'check the password',
      });
      expect(refused.node).toEqual({});
    } finally {
      await refused.close();
    }
  });

  it('logs the version the broker announced, which the declarations branch on, and knows the node it is on', () => {
    expect(connection.node).toEqual(brokerNodeOf(vhost.url));
    expect(logs.find('AMQP connected')[0]).toMatchObject({ broker_version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
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

  it('a channel the broker closes comes back on the same connection, and a reconnect then sets up that one channel, not the one it replaced', async () => {
    const channels: ConfirmChannel[] = [];
    const handle = connection.createChannel({
      name: 'closed-by-broker',
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        channels.push(channel);
        await channel.checkQueue('connection-probe');
      },
    });
    try {
      await handle.waitForConnect();
      const wrappers = connection.manager.channelCount;
      const reconnects = logs.find('AMQP disconnected; reconnecting').length;
      // A passive declare of a queue that does not exist: the broker closes this channel alone (404).
      await expect(handle.checkQueue('no-such-queue')).rejects.toThrow(/NOT_FOUND/);
      await waitFor('the channel to be opened again', () => channels.length === 2);
      await handle.waitForConnect();
      expect(logs.find('AMQP disconnected; reconnecting')).toHaveLength(reconnects);

      connection.manager.reconnect();
      await waitFor('the channel to be set up after the reconnect', () => channels.length >= 3);
      await handle.waitForConnect();
      // The replaced wrapper left the manager, so no reconnect sets it up again.
      expect(connection.manager.channelCount).toBe(wrappers);
      expect(channels).toHaveLength(3);
      expect((await handle.checkQueue('connection-probe')).queue).toBe('connection-probe');
    } finally {
      await handle.close();
    }
  });
});
