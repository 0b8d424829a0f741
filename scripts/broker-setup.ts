/**
 * Provisions a RabbitMQ vhost for the platform: one user per service (and `operator`
 * for the dead-letter tools) with only the rights its part of the topology needs, the
 * topic permissions that let each service publish only its own event types, and the
 * whole topology, so no event is published before every consumer's queue exists.
 *
 *   npm run broker:setup                       # this machine's broker, vhost /
 *   npm run broker:setup -- --write <file>     # the same as a definitions file (compose loads one at boot)
 *
 * Passwords come from BROKER_PASSWORD_<USER> (e.g. BROKER_PASSWORD_TODO_SERVICE); unset,
 * a user's password is its name, which suits a developer's machine only. The queues are
 * declared as QUEUE_TYPE says (`classic` unless set; `quorum` on a cluster, with
 * QUEUE_DELIVERY_LIMIT), as the services must be configured too. A definitions file is written
 * for the RabbitMQ version BROKER_VERSION names (the line compose runs unless set: some queue
 * arguments differ between lines); a live broker is asked its own. On a cluster, point
 * BROKER_ADMIN_URL at any node and RABBITMQ_NODENAME (the node rabbitmqctl imports through) at the same one.
 * Idempotent: users are updated, permissions replaced, the topology asserted.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import {
  CLASSIC_QUEUES,
  PLATFORM_TOPOLOGY,
  QUEUE_TYPES,
  QueueSettings,
  QueueType,
  Topology,
  brokerDefinitions,
  declareTopology,
  RABBITMQ_LINE,
  parseBrokerVersion,
  platformPermissions,
  queueSettings,
} from '@todo/messaging';
import { Cli, readCommandLine, refuse } from './cli-usage';

const run = promisify(execFile);

export const passwordFromEnvironment = (user: string): string =>
  process.env[`BROKER_PASSWORD_${user.toUpperCase().replace(/-/g, '_')}`] || user;

/** QUEUE_TYPE and QUEUE_DELIVERY_LIMIT, as the services read them. */
export function queueSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  const type = env.QUEUE_TYPE || 'classic';
  if (!(QUEUE_TYPES as readonly string[]).includes(type))
    throw new Error(`QUEUE_TYPE must be one of ${QUEUE_TYPES.join(', ')}, not ${type}`);
  const limit = env.QUEUE_DELIVERY_LIMIT ? Number(env.QUEUE_DELIVERY_LIMIT) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 2))
    throw new Error('QUEUE_DELIVERY_LIMIT must be an integer of at least 2');
  return queueSettings(type as QueueType, limit);
}

/** rabbitmqctl, against `node` when given (a cluster's node), else the machine's own. */
async function rabbitmqctl(node: string | undefined, ...args: string[]): Promise<string> {
  return (await run('rabbitmqctl', [...(node ? ['-n', node] : []), ...args], { timeout: 60_000 })).stdout;
}

/** `rabbitmqctl import_definitions`: from a file the broker's own user can read (rabbitmqctl runs as that user). */
async function importDefinitions(node: string | undefined, definitions: object): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'broker-setup-'));
  try {
    chmodSync(dir, 0o755);
    const file = join(dir, 'definitions.json');
    writeFileSync(file, JSON.stringify(definitions), { mode: 0o644 });
    await rabbitmqctl(node, 'import_definitions', file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Imports the users and their permissions for `vhost` (creating it) through rabbitmqctl,
 * waits until the import has been applied, then declares the topology over `adminUrl`.
 */
export async function provisionBroker({
  vhost,
  adminUrl,
  passwordOf = passwordFromEnvironment,
  queues = CLASSIC_QUEUES,
  node,
}: {
  vhost: string;
  /** An AMQP URL of an administrator on the broker, without a vhost. */
  adminUrl: string;
  passwordOf?: (user: string) => string;
  queues?: QueueSettings;
  /** The Erlang node rabbitmqctl imports through (a cluster's node), when not the machine's own. */
  node?: string;
}): Promise<void> {
  const definitions = brokerDefinitions({ vhost, passwordOf });
  await importDefinitions(node, definitions);
  // The import is applied asynchronously; topic permissions are its last part.
  for (let i = 0; ; i++) {
    const listed = JSON.parse(await rabbitmqctl(node, 'list_topic_permissions', '-q', '-p', vhost, '--formatter', 'json')) as unknown[];
    if (listed.length >= definitions.topic_permissions.length) break;
    if (i > 100) throw new Error(`the broker did not apply the permissions of vhost ${vhost}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await provisionTopology(`${adminUrl.replace(/\/$/, '')}/${encodeURIComponent(vhost)}`, PLATFORM_TOPOLOGY, queues);
}

/** Declares the whole of `topology` over `url` (an administrator's, with its vhost). */
export async function provisionTopology(
  url: string,
  topology: Topology = PLATFORM_TOPOLOGY,
  queues: QueueSettings = CLASSIC_QUEUES,
): Promise<void> {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    await declareTopology(channel, topology, queues);
    await channel.close();
  } finally {
    await connection.close();
  }
}

const BROKER_SETUP: Cli = {
  usage: ['npm run broker:setup', 'npm run broker:setup -- --write <file>'],
  summary:
    'Provisions a RabbitMQ vhost for the platform: one user per service (and operator, for the dead-letter tools) with ' +
    'only the rights its part of the topology needs, and the whole topology, so that no event is published before ' +
    "every consumer's queue exists. Imports the users through rabbitmqctl on this machine, declares the topology " +
    'over AMQP. Idempotent.',
  options: {
    write: {
      type: 'string',
      value: '<file>',
      description: 'write the same as a definitions file instead (what compose loads at boot); needs no broker',
    },
  },
  environment: {
    AMQP_VHOST: 'the vhost to provision (default /)',
    BROKER_ADMIN_URL: 'an administrator of the broker, without a vhost (default amqp://guest:guest@127.0.0.1:5672)',
    'BROKER_PASSWORD_<USER>': `each user's password (default its name): ${platformPermissions()
      .map((p) => `BROKER_PASSWORD_${p.user.toUpperCase().replace(/-/g, '_')}`)
      .join(', ')}`,
    QUEUE_TYPE: `the type the queues are declared as: ${QUEUE_TYPES.join(' or ')} (default classic), as the services are told`,
    QUEUE_DELIVERY_LIMIT: 'with quorum queues: deliveries before a message is dead-lettered, as for the services',
    RABBITMQ_NODENAME: "on a cluster: the node rabbitmqctl imports through (BROKER_ADMIN_URL's node)",
    BROKER_VERSION:
      "with --write: the RabbitMQ release the file is for (default the 4.3 line compose runs); a connected run reads the broker's own",
  },
};

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = readCommandLine(BROKER_SETUP, argv);
  if (positionals.length > 0) refuse(BROKER_SETUP, `unexpected argument ${positionals[0]}`);
  const vhost = process.env.AMQP_VHOST || '/';
  const file = values.write;
  if (typeof file === 'string') {
    const definitions = brokerDefinitions({
      vhost,
      passwordOf: passwordFromEnvironment,
      withTopology: true,
      queues: queueSettingsFromEnvironment(),
      broker: process.env.BROKER_VERSION ? parseBrokerVersion(process.env.BROKER_VERSION) : RABBITMQ_LINE,
    });
    writeFileSync(file, `${JSON.stringify(definitions, null, 2)}\n`);
    process.stdout.write(`broker-setup: wrote ${file}\n`);
    return;
  }
  const adminUrl = process.env.BROKER_ADMIN_URL || 'amqp://guest:guest@127.0.0.1:5672';
  const queues = queueSettingsFromEnvironment();
  await provisionBroker({ vhost, adminUrl, queues, node: process.env.RABBITMQ_NODENAME || undefined });
  process.stdout.write(`broker-setup: ${queues.type} queues in vhost ${vhost}\n`);
  for (const p of platformPermissions()) {
    process.stdout.write(`broker-setup: ${p.user} in vhost ${vhost}: configure ${p.configure}; write ${p.write}; read ${p.read}\n`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`broker-setup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
