/**
 * The V6 side of a demo: the platform's real services as processes (bench/support/stack.ts:
 * a vhost and schemas of their own, an SMTP sink), built once per `npm run demo`.
 */
import amqplib from 'amqplib';
import { Client } from 'pg';
import { DEMO_USER_ID } from '../../apps/todo-service/src/users/domain/user.aggregate';
import { ServiceBuild, buildServices } from '../../bench/support/service-runner';
import { Stack, openStack, waitForRecipient } from '../../bench/support/stack';
import { TEST_DATABASE_URL } from '../../test/support/postgres';
import { onCleanup } from './cleanup';

export const SETTINGS = {
  amqpUrl: process.env.TEST_AMQP_BASE_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  databaseUrl: TEST_DATABASE_URL,
};

let build: Promise<ServiceBuild> | undefined;

/** The services transpiled once for the whole run (removed when the run ends). */
export function serviceBuild(): Promise<ServiceBuild> {
  if (!build) {
    build = buildServices();
    onCleanup(async () => (await build!).dispose());
  }
  return build;
}

/**
 * todo-, notification- and analytics-service running, and notification-service knowing the demo
 * user's address. `todoServiceLast`: the other two start first, so that todo-service's
 * GET /journeys/:id knows where they listen.
 */
export async function openPlatform(label: string, { todoServiceLast = false } = {}): Promise<Stack> {
  const stack = await openStack(SETTINGS, await serviceBuild(), `demo_${label}`);
  const release = onCleanup(() => stack.dispose());
  const dispose = stack.dispose;
  stack.dispose = async () => {
    release();
    await dispose();
  };
  try {
    if (todoServiceLast) {
      await stack.start('notification-service', 'analytics-service');
      await stack.start('todo-service');
    } else {
      await stack.start('todo-service');
      await stack.start('notification-service', 'analytics-service');
    }
    await waitForRecipient(SETTINGS.databaseUrl, stack.schemas.notification, DEMO_USER_ID);
  } catch (error) {
    await stack.dispose();
    throw error;
  }
  return stack;
}

/**
 * Ready messages in a queue of the stack's vhost, asked of the broker on a channel of its
 * own each time (a channel the broker closed must not silence the samples that follow).
 */
export async function queueWatcher(
  stack: Stack,
): Promise<{ depth(queue: string): Promise<number>; failures: string[]; close(): Promise<void> }> {
  const connection = await amqplib.connect(stack.amqpUrl);
  const failures: string[] = [];
  connection.on('error', (error: Error) => failures.push(error.message));
  return {
    failures,
    async depth(queue) {
      const channel = await connection.createChannel();
      channel.on('error', (error: Error) => failures.push(error.message));
      try {
        return (await channel.checkQueue(queue)).messageCount;
      } finally {
        await channel.close().catch(() => undefined);
      }
    },
    close: async () => {
      await connection.close().catch(() => undefined);
    },
  };
}

export async function connectDb(): Promise<Client> {
  const client = new Client({ connectionString: SETTINGS.databaseUrl });
  // A lost connection fails the next query; it must not crash the demo before its clean-up.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
