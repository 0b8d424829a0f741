/**
 * One isolated run of the hand-written baseline (bench/hand-written): a vhost and three
 * schemas of its own and its three processes, started with the platform's queue names,
 * routing keys, pool size and prefetch, and the services' V8 flags. dispose() takes all
 * of it down, whatever state it is in; the processes are killed if this script exits.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { ServiceEnv } from '@todo/config';
import {
  ANALYTICS_QUEUE,
  ConsumerQueue,
  NOTIFICATION_QUEUE,
  TODO_EVENTS_EXCHANGE,
  TODO_VIEWS_QUEUE,
  Topology,
  defineTopology,
} from '@todo/messaging';
import { testSchema } from '../../test/support/postgres';
import { createTestVhost } from '../../test/support/rabbitmq';
import { freePort } from '../../test/support/service-process';
import { deadLetterQueueOf } from '../hand-written/consumer';
import type { HandWrittenRole } from '../hand-written/main';
import { HandWrittenSchemas, createHandWrittenSchemas } from '../hand-written/schema';
import { dropSchemasAt } from './stack';

const ROOT = join(__dirname, '..', '..');
// A CommonJS script shared with scripts/start-all.js, which has no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SERVICE_NODE_FLAGS: string[] = require('../../scripts/service-node-flags');
const QUEUES: Record<HandWrittenRole, ConsumerQueue> = {
  todo: TODO_VIEWS_QUEUE,
  notification: NOTIFICATION_QUEUE,
  analytics: ANALYTICS_QUEUE,
};
/**
 * The vhost is provisioned with the exchange only: the baseline declares its queues itself,
 * with its own dead-lettering, under the platform's names, so the platform's queues (other
 * arguments, and copies of every message) must not be there.
 */
const EXCHANGE_ONLY: Topology = defineTopology({ exchange: TODO_EVENTS_EXCHANGE, consumers: [] });

export interface HandWrittenProcess {
  role: HandWrittenRole;
  pid: number;
  isAlive(): boolean;
  stderrTail(): string;
}

export interface HandWrittenStack {
  amqpUrl: string;
  schemas: HandWrittenSchemas;
  /** Where POST /todos is served. */
  port: number;
  processes: HandWrittenProcess[];
  /** Each consumer's work queue and dead-letter queue. */
  queues: Record<HandWrittenRole, { queue: string; deadLetterQueue: string }>;
  dispose(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

async function startProcess(role: HandWrittenRole, env: Record<string, string>): Promise<HandWrittenProcess & { stop(): Promise<void> }> {
  const started = await startHandWritten('main.ts', [role], env);
  return { ...started, role };
}

export interface HandWrittenChild {
  pid: number;
  isAlive(): boolean;
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/**
 * Starts `bench/hand-written/<script>` as a process of its own with the services' V8 flags
 * and only `env` (and PATH/HOME), and resolves once it says it is ready over IPC.
 */
export async function startHandWritten(script: string, args: string[], env: Record<string, string>): Promise<HandWrittenChild> {
  const role = [script, ...args].join(' ');
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => live.forEach((child) => child.kill('SIGKILL')));
  }
  const child = spawn(
    process.execPath,
    [...SERVICE_NODE_FLAGS, '-r', join(ROOT, 'scripts', 'register-ts.js'), join(ROOT, 'bench', 'hand-written', script), ...args],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
  );
  live.add(child);
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      gone = true;
      live.delete(child);
      resolve();
    }),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then(() => reject(new Error(`hand-written ${role} exited during start-up: ${stderr.slice(-4_000)}`)));
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ready,
      new Promise(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`hand-written ${role} not ready after 60 s: ${stderr}`)), 60_000)),
      ),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return {
    pid: child.pid!,
    isAlive: () => !gone,
    stderrTail: () => stderr.slice(-4_000),
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(kill);
    },
  };
}

export async function openHandWrittenStack(settings: { databaseUrl: string }, label: string): Promise<HandWrittenStack> {
  const vhost = await createTestVhost(label, { topology: EXCHANGE_ONLY });
  const schemas: HandWrittenSchemas = {
    todo: testSchema(`${label}_todo`),
    notification: testSchema(`${label}_ntf`),
    analytics: testSchema(`${label}_ana`),
  };
  const started: (HandWrittenProcess & { stop(): Promise<void> })[] = [];
  const dispose = async () => {
    await Promise.all(started.map((p) => p.stop().catch(() => undefined)));
    await vhost
      .dispose()
      .catch((error: unknown) => process.stderr.write(`bench clean-up: deleting ${vhost.vhost} failed: ${String(error)}\n`));
    await dropSchemasAt(settings.databaseUrl, Object.values(schemas)).catch((error: unknown) =>
      process.stderr.write(`bench clean-up: dropping the schemas failed: ${String(error)}\n`),
    );
  };
  try {
    const client = new Client({ connectionString: settings.databaseUrl });
    await client.connect();
    try {
      await createHandWrittenSchemas(client, schemas);
    } finally {
      await client.end();
    }
    // The platform's defaults (ServiceEnv), so that both run with the same pool and prefetch.
    const defaults = new ServiceEnv();
    const port = await freePort();
    const envOf = (role: HandWrittenRole): Record<string, string> => ({
      DATABASE_URL: settings.databaseUrl,
      AMQP_URL: vhost.url,
      DB_SCHEMA: schemas[role],
      DB_POOL_SIZE: String(defaults.DB_POOL_SIZE),
      PREFETCH: String(defaults.CONSUMER_PREFETCH),
      EXCHANGE: TODO_EVENTS_EXCHANGE,
      QUEUE: QUEUES[role].queue,
      BINDINGS: QUEUES[role].bindings.join(','),
      PORT: String(port),
    });
    // Consumers first: their queues are bound before anything is published.
    const consumers = await Promise.allSettled((['notification', 'analytics'] as const).map((role) => startProcess(role, envOf(role))));
    for (const c of consumers) if (c.status === 'fulfilled') started.push(c.value);
    const failed = consumers.find((c) => c.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    started.push(await startProcess('todo', envOf('todo')));
    const queueOf = (role: HandWrittenRole) => ({ queue: QUEUES[role].queue, deadLetterQueue: deadLetterQueueOf(QUEUES[role].queue) });
    return {
      amqpUrl: vhost.url,
      schemas,
      port,
      processes: started,
      queues: { todo: queueOf('todo'), notification: queueOf('notification'), analytics: queueOf('analytics') },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
