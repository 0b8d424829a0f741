import { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per order: when it was placed and how it ended. */
export class OrderFacts1764115800000 implements MigrationInterface {
  name = 'OrderFacts1764115800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_facts (
        order_id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL,
        placed_at TIMESTAMPTZ,
        -- pending until an outcome arrives; an outcome is final.
        outcome VARCHAR(10) NOT NULL DEFAULT 'pending',
        reason VARCHAR(20),
        ended_at TIMESTAMPTZ
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE order_facts`);
  }
}
