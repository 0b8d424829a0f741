import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import { waitFor } from './wait-for';

const run = promisify(execFile);
const BROKER = process.env.TEST_AMQP_BASE_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', args, { timeout: 60_000 });
  return stdout;
}

/** A vhost of its own for one test file: exchange and queue names stay the real ones, isolated. */
export async function createTestVhost(label: string): Promise<{ vhost: string; url: string; dispose(): Promise<void> }> {
  const vhost = `test-${label}-${randomBytes(4).toString('hex')}`;
  await rabbitmqctl('add_vhost', vhost);
  await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
  return {
    vhost,
    url: `${BROKER}/${encodeURIComponent(vhost)}`,
    dispose: async () => {
      await rabbitmqctl('delete_vhost', vhost);
    },
  };
}

/** Stops the broker application (connections drop, nothing is routed) until start(). */
export async function stopBroker(): Promise<void> {
  await rabbitmqctl('stop_app');
}

export async function startBroker(): Promise<void> {
  await rabbitmqctl('start_app');
  await rabbitmqctl('await_startup');
  await waitFor('the broker to accept connections', async () => {
    const connection = await amqplib.connect(BROKER);
    await connection.close();
    return true;
  });
}

/** Ready + unacknowledged message counts of a queue, read through a short-lived connection. */
export async function queueDepth(url: string, queue: string): Promise<number> {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    const { messageCount } = await channel.checkQueue(queue);
    await channel.close();
    return messageCount;
  } finally {
    await connection.close();
  }
}
