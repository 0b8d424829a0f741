import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import { CLASSIC_QUEUES, PLATFORM_TOPOLOGY, QueueSettings, Topology } from '@todo/messaging';
import { provisionBroker, provisionTopology } from '../../scripts/broker-setup';

export { provisionTopology };
import { waitFor } from './wait-for';

const run = promisify(execFile);
const BROKER = process.env.TEST_AMQP_BASE_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', args, { timeout: 60_000 });
  return stdout;
}

/** A broker other than the machine's own: a cluster's nodes (scripts/rabbitmq-cluster.ts). */
export interface TestBroker {
  /** The Erlang node rabbitmqctl talks to. */
  node: string;
  /** guest's AMQP URL on each node, without a vhost. */
  nodeUrls: string[];
}

/** The password each platform broker user has in tests. */
export const testBrokerPassword = (user: string): string => `${user}-test-password`;

export interface TestVhost {
  vhost: string;
  /** As guest, the administrator. */
  url: string;
  /** As one of the platform's broker users (with `serviceUsers`). */
  urlFor(user: string): string;
  /** The same on every node of the broker. */
  urlsFor(user: string): string[];
  /** rabbitmqctl's `-n` for this vhost's broker, when not the machine's own. */
  node?: string;
  dispose(): Promise<void>;
}

/**
 * A vhost of its own for one test file, provisioned with `topology` (the platform's
 * unless told): exchange and queue names stay the real ones, isolated. With
 * `serviceUsers`, provisioned as `npm run broker:setup` does: every service's own broker
 * user and rights (then `topology` must be the platform's). `queues`: the queue type
 * (classic unless told).
 */
export async function createTestVhost(
  label: string,
  {
    topology = PLATFORM_TOPOLOGY,
    serviceUsers = false,
    queues = CLASSIC_QUEUES,
    broker,
  }: { topology?: Topology; serviceUsers?: boolean; queues?: QueueSettings; broker?: TestBroker } = {},
): Promise<TestVhost> {
  const vhost = `test-${label}-${randomBytes(4).toString('hex')}`;
  const ctl = (...args: string[]) => rabbitmqctl(...(broker ? ['-n', broker.node] : []), ...args);
  await ctl('add_vhost', vhost);
  await ctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
  const adminUrls = broker?.nodeUrls ?? [BROKER];
  const withVhost = (base: string) => `${base.replace(/\/$/, '')}/${encodeURIComponent(vhost)}`;
  const url = withVhost(adminUrls[0]);
  if (serviceUsers) await provisionBroker({ vhost, adminUrl: adminUrls[0], passwordOf: testBrokerPassword, queues, node: broker?.node });
  else await provisionTopology(url, topology, queues);
  const asUser = (base: string, user: string) => {
    const at = new URL(withVhost(base));
    at.username = encodeURIComponent(user);
    at.password = encodeURIComponent(testBrokerPassword(user));
    return at.toString();
  };
  return {
    vhost,
    url,
    node: broker?.node,
    urlFor: (user) => asUser(adminUrls[0], user),
    urlsFor: (user) => adminUrls.map((base) => asUser(base, user)),
    dispose: async () => {
      await ctl('delete_vhost', vhost);
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

/** Ready messages of one queue (in-flight ones not counted), through a short-lived connection. */
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

/** Messages (ready + unacknowledged) of every queue in a vhost, by queue name (on `node`, a cluster's, when given). */
export async function queueDepths(vhost: string, node?: string): Promise<Record<string, number>> {
  const out = await rabbitmqctl(
    ...(node ? ['-n', node] : []),
    'list_queues',
    '-q',
    '-p',
    vhost,
    'name',
    'messages_ready',
    'messages_unacknowledged',
    '--formatter',
    'json',
  );
  const rows = JSON.parse(out) as { name: string; messages_ready: number; messages_unacknowledged: number }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.messages_ready + r.messages_unacknowledged]));
}

/** Waits until no queue of the vhost holds a message, ready or in flight (retry and dead-letter queues included). */
export async function waitUntilAllQueuesEmpty(vhost: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    `every queue of ${vhost} to be empty`,
    async () => {
      const depths = await queueDepths(vhost);
      const busy = Object.entries(depths).filter(([, n]) => n > 0);
      if (busy.length > 0) throw new Error(`still holding messages: ${JSON.stringify(Object.fromEntries(busy))}`);
      return true;
    },
    { timeoutMs, intervalMs: 250 },
  );
}
