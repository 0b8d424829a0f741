/**
 * The audit log: a new consumer of every platform event, added as this one file. It binds
 * its own queue (`audit-log`, pattern `#`) to the events exchange and records each event
 * it receives in a table of its own; no producer is edited, restarted or told. It runs on
 * the platform's consumer (the same pipeline, retry and dead-letter queues as any
 * service's); the primary key on event_id makes a redelivery a no-op.
 *
 * It sees the events published after its queue was bound; the earlier ones are in the
 * producers' stores (GET /events) for a backfill. In a deployment its broker user would
 * get its rights in the broker's provisioning (broker-access.ts), not in any producer.
 *
 *   AMQP_URL=… DATABASE_URL=… AUDIT_SCHEMA=… node -r ./scripts/register-ts.js demo/audit-log.consumer.ts
 */
import { Pool } from 'pg';
import { KNOWN_EVENT_TYPES, PLATFORM_CONTRACTS } from '@todo/events';
import {
  AmqpConnection,
  ConsumerPipeline,
  ConsumerTelemetry,
  DirectProcessing,
  MessageHandlers,
  RabbitConsumer,
  TODO_COMMANDS_EXCHANGE,
  TODO_EVENTS_EXCHANGE,
  consumerQueue,
  defineTopology,
} from '@todo/messaging';
import { createLogger } from '@todo/observability';

export const AUDIT_LOG_QUEUE = consumerQueue('audit-log', ['#']);

const AUDIT_TOPOLOGY = defineTopology({
  exchange: TODO_EVENTS_EXCHANGE,
  commandExchange: TODO_COMMANDS_EXCHANGE,
  consumers: [AUDIT_LOG_QUEUE],
});

async function main(): Promise<void> {
  const { AMQP_URL, DATABASE_URL, AUDIT_SCHEMA = 'audit' } = process.env;
  if (!AMQP_URL || !DATABASE_URL) throw new Error('AMQP_URL and DATABASE_URL are required');
  const logger = createLogger({ service: 'audit-log', level: process.env.LOG_LEVEL ?? 'info' });
  const pool = new Pool({ connectionString: DATABASE_URL, max: 4 });
  pool.on('error', (error) => logger.warn({ err: error.message }, 'PostgreSQL connection lost'));
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${AUDIT_SCHEMA}"`);
  await pool.query(
    `CREATE TABLE IF NOT EXISTS "${AUDIT_SCHEMA}".audit_log (
       event_id VARCHAR(255) PRIMARY KEY, event_type VARCHAR(100) NOT NULL, aggregate_id VARCHAR(255) NOT NULL,
       correlation_id VARCHAR(255) NOT NULL, occurred_at TIMESTAMPTZ NOT NULL, received_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  );

  const record = async (event: Record<string, unknown>) => {
    await pool.query(
      `INSERT INTO "${AUDIT_SCHEMA}".audit_log (event_id, event_type, aggregate_id, correlation_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING`,
      [event.event_id, event.event_type, event.aggregate_id, event.correlation_id, event.occurred_at],
    );
  };
  const handlers = new MessageHandlers(KNOWN_EVENT_TYPES.map((type) => [type, { name: 'AuditLog.record', handle: record }] as const));
  const connection = new AmqpConnection({ urls: [AMQP_URL], connectionName: 'audit-log', logger });
  const telemetry = new ConsumerTelemetry(AUDIT_LOG_QUEUE, logger);
  const consumer = new RabbitConsumer({
    connection,
    topology: AUDIT_TOPOLOGY,
    consumer: AUDIT_LOG_QUEUE,
    prefetch: 50,
    pipeline: new ConsumerPipeline({
      consumer: AUDIT_LOG_QUEUE,
      contracts: PLATFORM_CONTRACTS,
      handlers,
      processing: new DirectProcessing(),
      telemetry,
    }),
    telemetry,
    logger,
  });
  consumer.start();
  await connection.waitUntilConnected();
  logger.info({ queue: AUDIT_LOG_QUEUE.queue, bindings: AUDIT_LOG_QUEUE.bindings }, 'Audit log consuming');

  process.once('SIGTERM', () => {
    void (async () => {
      await consumer.stop();
      await connection.close();
      await pool.end();
      process.exit(0);
    })();
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`audit-log: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
