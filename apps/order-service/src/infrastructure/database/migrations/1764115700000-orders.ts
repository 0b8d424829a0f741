import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Order ids, the orders view (what GET /orders reads), the SKUs inventory has stocked,
 * and the saga: one row per order (its state, its version for optimistic concurrency,
 * its deadline) and every step it took.
 */
export class Orders1764115700000 implements MigrationInterface {
  name = 'Orders1764115700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE order_ids AS INTEGER START 1`);
    await q.query(`
      CREATE TABLE orders (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL,
        status VARCHAR(10) NOT NULL,
        reason VARCHAR(20),
        lines JSONB NOT NULL,
        lines_short JSONB,
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        version INTEGER NOT NULL
      )`);
    await q.query(`CREATE INDEX idx_orders_user_id ON orders (user_id, id)`);
    await q.query(`CREATE TABLE known_skus (sku VARCHAR(64) PRIMARY KEY, stocked_at TIMESTAMPTZ NOT NULL)`);
    await q.query(`
      CREATE TABLE order_sagas (
        order_id INTEGER PRIMARY KEY,
        state VARCHAR(10) NOT NULL CHECK (state IN ('reserving', 'confirmed', 'cancelled')),
        -- Raised by every change: a message that decided on an older version retries.
        version INTEGER NOT NULL,
        -- While reserving: when the wait for inventory's answer ends.
        deadline_at TIMESTAMPTZ,
        correlation_id VARCHAR(255) NOT NULL,
        -- W3C trace context of the saga's start, so a timeout continues the order's trace.
        trace_context JSONB NOT NULL DEFAULT '{}',
        started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        ended_at TIMESTAMPTZ
      )`);
    await q.query(`CREATE INDEX idx_order_sagas_deadline ON order_sagas (deadline_at) WHERE state = 'reserving'`);
    await q.query(`
      CREATE TABLE saga_steps (
        id BIGSERIAL PRIMARY KEY,
        order_id INTEGER NOT NULL,
        at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
        kind VARCHAR(20) NOT NULL,
        name VARCHAR(100) NOT NULL,
        detail JSONB NOT NULL DEFAULT '{}',
        correlation_id VARCHAR(255) NOT NULL,
        trace_id VARCHAR(32)
      )`);
    await q.query(`CREATE INDEX idx_saga_steps_order ON saga_steps (order_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE saga_steps`);
    await q.query(`DROP TABLE order_sagas`);
    await q.query(`DROP TABLE known_skus`);
    await q.query(`DROP TABLE orders`);
    await q.query(`DROP SEQUENCE order_ids`);
  }
}
