import { MigrationInterface, QueryRunner } from 'typeorm';

/** Processed event ids per consumer: the durable idempotency record. */
export class Inbox1764115200001 implements MigrationInterface {
  name = 'Inbox1764115200001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbox (
        consumer VARCHAR(255) NOT NULL,
        event_id VARCHAR(255) NOT NULL,
        event_type VARCHAR(100) NOT NULL,
        aggregate_id VARCHAR(255) NOT NULL,
        processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox`);
  }
}
