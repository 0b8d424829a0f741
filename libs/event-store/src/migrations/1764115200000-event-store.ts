import { MigrationInterface, QueryRunner } from 'typeorm';

/** The seed's `events` table, made safe for concurrent writers, and the outbox beside it. */
export class EventStore1764115200000 implements MigrationInterface {
  name = 'EventStore1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        id BIGSERIAL PRIMARY KEY,
        event_id VARCHAR(255) NOT NULL UNIQUE,
        event_type VARCHAR(100) NOT NULL,
        aggregate_id VARCHAR(255) NOT NULL,
        aggregate_type VARCHAR(100) NOT NULL,
        event_data JSONB NOT NULL,
        metadata JSONB NOT NULL,
        timestamp TIMESTAMPTZ NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        event_version INTEGER NOT NULL DEFAULT 1,
        -- Commit order across all streams: assigned under one row lock held until commit.
        global_position BIGINT UNIQUE,
        CONSTRAINT events_stream_version_key UNIQUE (aggregate_id, version)
      )`);
    await q.query(`CREATE TABLE event_positions (id SMALLINT PRIMARY KEY CHECK (id = 1), last BIGINT NOT NULL)`);
    await q.query(`INSERT INTO event_positions (id, last) VALUES (1, 0)`);
    // Stream reads use the (aggregate_id, version) index; the seed's idx_aggregate_id would duplicate it.
    await q.query(`CREATE INDEX idx_event_type ON events (event_type)`);
    await q.query(`CREATE INDEX idx_events_correlation_id ON events ((metadata->>'correlation_id'))`);
    await q.query(`
      CREATE TABLE outbox (
        id BIGSERIAL PRIMARY KEY,
        event_id VARCHAR(255) NOT NULL UNIQUE,
        aggregate_id VARCHAR(255) NOT NULL,
        exchange VARCHAR(255) NOT NULL,
        routing_key VARCHAR(255) NOT NULL,
        payload JSON NOT NULL,
        headers JSONB NOT NULL,
        -- W3C trace context of the append, so the publish continues the request's trace.
        trace_context JSONB NOT NULL DEFAULT '{}',
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        sent_at TIMESTAMPTZ,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        -- An entry the broker refused waits here, alone: later entries of other aggregates go on.
        next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_outbox_unsent ON outbox (id) WHERE sent_at IS NULL`);
    await q.query(`CREATE INDEX idx_outbox_unsent_by_aggregate ON outbox (aggregate_id, id) WHERE sent_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE event_positions`);
    await q.query(`DROP TABLE events`);
  }
}
