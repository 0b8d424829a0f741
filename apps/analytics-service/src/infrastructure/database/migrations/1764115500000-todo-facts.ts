import { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per todo, holding what the statistics are computed from. */
export class TodoFacts1764115500000 implements MigrationInterface {
  name = 'TodoFacts1764115500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE todo_facts (
        todo_id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL,
        priority VARCHAR(10),
        -- Stream version of the event that set priority: an older event never overwrites a newer one.
        priority_version INTEGER,
        created_at TIMESTAMPTZ,
        completed_at TIMESTAMPTZ,
        priority_changes INTEGER NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX idx_todo_facts_user_id ON todo_facts (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE todo_facts`);
  }
}
