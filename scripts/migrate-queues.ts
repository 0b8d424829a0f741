/**
 * Switches the platform's queues to another type (classic ↔ quorum), one consumer at a
 * time: a queue cannot change type in place, so each is drained into a holding queue,
 * declared anew and refilled (migrateConsumerQueues tells how nothing is lost).
 *
 *   npm run broker:migrate-queues -- --to quorum --service notification-service
 *   npm run broker:migrate-queues -- --to quorum          # every consumer's queues
 *
 * Stop every instance of a service before migrating its queues, then start them with the
 * new QUEUE_TYPE; the others, publishers included, go on. Connects as BROKER_ADMIN_URL
 * (guest on this machine) to the vhost AMQP_VHOST (`/`). QUEUE_DELIVERY_LIMIT as for the
 * services. Idempotent: queues that have the type already are left alone.
 */
import amqplib from 'amqplib';
import { PLATFORM_TOPOLOGY, QUEUE_TYPES, QueueMigrationReport, findConsumer, migrateConsumerQueues } from '@todo/messaging';
import { queueSettingsFromEnvironment } from './broker-setup';
import { Cli, readCommandLine, refuse } from './cli-usage';

export interface MigrationRequest {
  /** An administrator's AMQP URL, with its vhost. */
  url: string;
  to: (typeof QUEUE_TYPES)[number];
  /** Consumer queues (service names) to migrate; every consumer's when empty. */
  services: string[];
  deliveryLimit?: number;
}

export async function migrateQueues({ url, to, services, deliveryLimit }: MigrationRequest): Promise<QueueMigrationReport[]> {
  const target = queueSettingsFromEnvironment({ QUEUE_TYPE: to, QUEUE_DELIVERY_LIMIT: deliveryLimit?.toString() });
  const consumers = services.length > 0 ? services.map((s) => findConsumer(PLATFORM_TOPOLOGY, s)) : PLATFORM_TOPOLOGY.consumers;
  const connection = await amqplib.connect(url, { clientProperties: { connection_name: 'migrate-queues' } });
  try {
    const reports: QueueMigrationReport[] = [];
    for (const consumer of consumers) reports.push(await migrateConsumerQueues(connection, PLATFORM_TOPOLOGY, consumer, target));
    return reports;
  } finally {
    await connection.close();
  }
}

const MIGRATE_QUEUES: Cli = {
  usage: [`npm run broker:migrate-queues -- --to <${QUEUE_TYPES.join('|')}> [--service <name>]…`],
  summary:
    "Switches the platform's queues to another type, one consumer at a time: each queue is drained into a holding " +
    'queue, declared anew and refilled, so nothing is lost. Stop every instance of a service before migrating its ' +
    'queues, then start them with the new QUEUE_TYPE. Idempotent: queues that have the type already are left alone.',
  options: {
    to: { type: 'string', value: `<${QUEUE_TYPES.join('|')}>`, description: 'the type to switch to (default QUEUE_TYPE)' },
    service: {
      type: 'string',
      value: '<name>',
      multiple: true,
      description: `a consumer whose queues to migrate, repeatable (default every one: ${PLATFORM_TOPOLOGY.consumers.map((c) => c.queue).join(', ')})`,
    },
  },
  environment: {
    BROKER_ADMIN_URL: 'an administrator of the broker, without a vhost (default amqp://guest:guest@127.0.0.1:5672)',
    AMQP_VHOST: 'the vhost (default /)',
    QUEUE_TYPE: 'the type to switch to when --to is not given',
    QUEUE_DELIVERY_LIMIT: 'with quorum queues: deliveries before a message is dead-lettered, as for the services',
  },
};

function parse(argv: string[]): { to: string; services: string[] } {
  const { values, positionals } = readCommandLine(MIGRATE_QUEUES, argv);
  if (positionals.length > 0) refuse(MIGRATE_QUEUES, `unexpected argument ${positionals[0]}`);
  const to = typeof values.to === 'string' ? values.to : (process.env.QUEUE_TYPE ?? '');
  if (!(QUEUE_TYPES as readonly string[]).includes(to)) refuse(MIGRATE_QUEUES, `--to must be one of ${QUEUE_TYPES.join(', ')}`);
  return { to, services: Array.isArray(values.service) ? values.service.map(String) : [] };
}

async function main(argv: string[]): Promise<void> {
  const { to, services } = parse(argv);
  const admin = (process.env.BROKER_ADMIN_URL || 'amqp://guest:guest@127.0.0.1:5672').replace(/\/$/, '');
  const vhost = process.env.AMQP_VHOST || '/';
  const limit = process.env.QUEUE_DELIVERY_LIMIT ? Number(process.env.QUEUE_DELIVERY_LIMIT) : undefined;
  const reports = await migrateQueues({
    url: `${admin}/${encodeURIComponent(vhost)}`,
    to: to as MigrationRequest['to'],
    services,
    deliveryLimit: limit,
  });
  for (const r of reports) {
    const moved = Object.entries(r.moved)
      .map(([queue, n]) => `${queue} ${n}`)
      .join(', ');
    process.stdout.write(
      `migrate-queues: ${r.consumer}: ${r.migrated ? `now ${to}; messages carried over: ${moved || 'none'}` : `already ${to}`}\n`,
    );
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`migrate-queues failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
