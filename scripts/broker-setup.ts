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
 * a user's password is its name, which suits a developer's machine only. Idempotent:
 * users are updated, permissions replaced, the topology asserted.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import { PLATFORM_TOPOLOGY, Topology, brokerDefinitions, declareTopology, platformPermissions } from '@todo/messaging';

const run = promisify(execFile);

export const passwordFromEnvironment = (user: string): string =>
  process.env[`BROKER_PASSWORD_${user.toUpperCase().replace(/-/g, '_')}`] || user;

async function rabbitmqctl(...args: string[]): Promise<string> {
  return (await run('rabbitmqctl', args, { timeout: 60_000 })).stdout;
}

/** `rabbitmqctl import_definitions`: from a file the broker's own user can read (rabbitmqctl runs as that user). */
async function importDefinitions(definitions: object): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'broker-setup-'));
  try {
    chmodSync(dir, 0o755);
    const file = join(dir, 'definitions.json');
    writeFileSync(file, JSON.stringify(definitions), { mode: 0o644 });
    await rabbitmqctl('import_definitions', file);
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
}: {
  vhost: string;
  /** An AMQP URL of an administrator on the broker, without a vhost. */
  adminUrl: string;
  passwordOf?: (user: string) => string;
}): Promise<void> {
  const definitions = brokerDefinitions({ vhost, passwordOf });
  await importDefinitions(definitions);
  // The import is applied asynchronously; topic permissions are its last part.
  for (let i = 0; ; i++) {
    const listed = JSON.parse(await rabbitmqctl('list_topic_permissions', '-q', '-p', vhost, '--formatter', 'json')) as unknown[];
    if (listed.length >= definitions.topic_permissions.length) break;
    if (i > 100) throw new Error(`the broker did not apply the permissions of vhost ${vhost}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await provisionTopology(`${adminUrl.replace(/\/$/, '')}/${encodeURIComponent(vhost)}`);
}

/** Declares the whole of `topology` over `url` (an administrator's, with its vhost). */
export async function provisionTopology(url: string, topology: Topology = PLATFORM_TOPOLOGY): Promise<void> {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    await declareTopology(channel, topology);
    await channel.close();
  } finally {
    await connection.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const vhost = process.env.AMQP_VHOST || '/';
  const writeAt = argv.indexOf('--write');
  if (writeAt >= 0) {
    const file = argv[writeAt + 1];
    if (!file) throw new Error('--write needs a file');
    const definitions = brokerDefinitions({ vhost, passwordOf: passwordFromEnvironment, withTopology: true });
    writeFileSync(file, `${JSON.stringify(definitions, null, 2)}\n`);
    process.stdout.write(`broker-setup: wrote ${file}\n`);
    return;
  }
  const adminUrl = process.env.BROKER_ADMIN_URL || 'amqp://guest:guest@127.0.0.1:5672';
  await provisionBroker({ vhost, adminUrl });
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
