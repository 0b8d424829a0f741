import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock per SKU and one reservation per order. `available` can never go below zero: the
 * reserve takes row locks on every line's SKU and checks them all before it changes any.
 */
export class Stock1764115600000 implements MigrationInterface {
  name = 'Stock1764115600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stock (
        sku VARCHAR(64) PRIMARY KEY,
        available INTEGER NOT NULL CHECK (available >= 0),
        reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        -- Stocking events published for this SKU so far: the next one's aggregate_version.
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    // status: reserved (stock held), refused (it was short), released (given back, or a release came first).
    await q.query(`
      CREATE TABLE reservations (
        order_id INTEGER PRIMARY KEY,
        status VARCHAR(10) NOT NULL CHECK (status IN ('reserved', 'refused', 'released')),
        lines JSONB NOT NULL,
        lines_short JSONB NOT NULL DEFAULT '[]',
        -- Replies published about this reservation so far: the next one's aggregate_version.
        version INTEGER NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reservations`);
    await q.query(`DROP TABLE stock`);
  }
}
