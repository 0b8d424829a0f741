import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox holds messages, not broker instructions: what a message is (its id, kind,
 * type, ordering key, correlation and causation), not the exchange or AMQP headers to
 * send it with — the relay derives those at publish time from the topology. Commands as
 * well as events go through it.
 */
export class OutboxMessages1764115200002 implements MigrationInterface {
  name = 'OutboxMessages1764115200002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox RENAME COLUMN event_id TO message_id`);
    await q.query(`ALTER TABLE outbox RENAME COLUMN routing_key TO message_type`);
    await q.query(
      `ALTER TABLE outbox ADD COLUMN message_kind VARCHAR(10) NOT NULL DEFAULT 'event' CHECK (message_kind IN ('event', 'command'))`,
    );
    await q.query(`ALTER TABLE outbox ADD COLUMN correlation_id VARCHAR(255) NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE outbox ADD COLUMN causation_id VARCHAR(255) NOT NULL DEFAULT ''`);
    await q.query(
      `UPDATE outbox SET correlation_id = coalesce(headers->>'x-correlation-id', ''), causation_id = coalesce(headers->>'x-causation-id', '')`,
    );
    await q.query(`ALTER TABLE outbox DROP COLUMN exchange, DROP COLUMN headers`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN exchange VARCHAR(255) NOT NULL DEFAULT 'todo-events'`);
    await q.query(`ALTER TABLE outbox ADD COLUMN headers JSONB NOT NULL DEFAULT '{}'`);
    await q.query(
      `UPDATE outbox SET exchange = CASE message_kind WHEN 'command' THEN 'todo-commands' ELSE 'todo-events' END,
              headers = jsonb_build_object('x-event-type', message_type, 'x-correlation-id', correlation_id, 'x-causation-id', causation_id)`,
    );
    await q.query(`ALTER TABLE outbox DROP COLUMN causation_id, DROP COLUMN correlation_id, DROP COLUMN message_kind`);
    await q.query(`ALTER TABLE outbox RENAME COLUMN message_type TO routing_key`);
    await q.query(`ALTER TABLE outbox RENAME COLUMN message_id TO event_id`);
  }
}
