import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What this service did for each correlation id — requests, commands, every attempt at a
 * message, mails — with durations and trace ids: its part of a request's journey. Kept
 * for a few days (the service prunes it); diagnostics, not business data.
 */
export class JourneySteps1764117000000 implements MigrationInterface {
  name = 'JourneySteps1764117000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE journey_steps (
        id BIGSERIAL PRIMARY KEY,
        correlation_id VARCHAR(255) NOT NULL,
        user_id INTEGER,
        kind VARCHAR(10) NOT NULL CHECK (kind IN ('http', 'command', 'message', 'mail')),
        name VARCHAR(255) NOT NULL,
        message_id VARCHAR(255),
        message_type VARCHAR(100),
        attempt INTEGER,
        outcome VARCHAR(20) NOT NULL,
        detail TEXT,
        started_at TIMESTAMPTZ NOT NULL,
        duration_ms DOUBLE PRECISION NOT NULL,
        trace_id VARCHAR(32)
      )`);
    await q.query(`CREATE INDEX idx_journey_steps_correlation ON journey_steps (correlation_id, started_at)`);
    await q.query(`CREATE INDEX idx_journey_steps_started_at ON journey_steps (started_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE journey_steps`);
  }
}
