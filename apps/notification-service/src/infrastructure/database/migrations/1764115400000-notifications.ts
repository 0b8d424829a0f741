import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who to write to (learnt from user.registered) and every mail decided, sent or not yet. */
export class Notifications1764115400000 implements MigrationInterface {
  name = 'Notifications1764115400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recipients (
        user_id INTEGER PRIMARY KEY,
        email VARCHAR(320) NOT NULL,
        name VARCHAR(200) NOT NULL,
        registered_at TIMESTAMPTZ NOT NULL
      )`);
    await q.query(`
      CREATE TABLE notifications (
        id BIGSERIAL PRIMARY KEY,
        event_id VARCHAR(255) NOT NULL UNIQUE,
        event_type VARCHAR(100) NOT NULL,
        correlation_id VARCHAR(255) NOT NULL,
        user_id INTEGER NOT NULL,
        recipient VARCHAR(320) NOT NULL,
        subject VARCHAR(300) NOT NULL,
        body TEXT NOT NULL,
        message_id VARCHAR(300) NOT NULL,
        status VARCHAR(10) NOT NULL DEFAULT 'pending',
        -- While 'sending': the claim expires here, so a mail whose sender died is sent again.
        lease_until TIMESTAMPTZ,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        sent_at TIMESTAMPTZ
      )`);
    await q.query(`CREATE INDEX idx_notifications_unsent ON notifications (next_attempt_at) WHERE status IN ('pending', 'sending')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE recipients`);
  }
}
