import { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per todo, holding what the statistics are computed from, and one row per counted change. */
export class TodoFacts1764115500000 implements MigrationInterface {
  name = 'TodoFacts1764115500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE todo_facts (
        todo_id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL,
        priority VARCHAR(10),
        -- Stream version of the event that set priority / status: an older event never overwrites a newer one.
        priority_version INTEGER,
        created_at TIMESTAMPTZ,
        completed_at TIMESTAMPTZ,
        status_version INTEGER,
        deleted_at TIMESTAMPTZ
      )`);
    await q.query(`CREATE INDEX idx_todo_facts_user_id ON todo_facts (user_id)`);
    // Counted changes (priority changes, reopens, deletions), keyed by stream position so each counts once.
    await q.query(`
      CREATE TABLE todo_changes (
        todo_id INTEGER NOT NULL,
        aggregate_version INTEGER NOT NULL,
        event_type VARCHAR(100) NOT NULL,
        PRIMARY KEY (todo_id, aggregate_version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE todo_changes`);
    await q.query(`DROP TABLE todo_facts`);
  }
}
