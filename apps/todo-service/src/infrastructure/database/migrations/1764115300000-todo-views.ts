import { MigrationInterface, QueryRunner } from 'typeorm';

/** Id sequences and the views GET /todos reads; the events themselves live in the event store. */
export class TodoViews1764115300000 implements MigrationInterface {
  name = 'TodoViews1764115300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE todo_ids AS INTEGER START 1`);
    // Id 1 belongs to the demo user registered at first start.
    await q.query(`CREATE SEQUENCE user_ids AS INTEGER START 2`);
    await q.query(`
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email VARCHAR(320) NOT NULL,
        name VARCHAR(200) NOT NULL,
        registered_at TIMESTAMPTZ NOT NULL,
        CONSTRAINT users_email_key UNIQUE (email)
      )`);
    await q.query(`
      CREATE TABLE todos (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL,
        title VARCHAR(200) NOT NULL,
        description VARCHAR(2000) NOT NULL,
        priority VARCHAR(10) NOT NULL,
        status VARCHAR(10) NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        completed_at TIMESTAMPTZ,
        updated_at TIMESTAMPTZ NOT NULL,
        version INTEGER NOT NULL
      )`);
    await q.query(`CREATE INDEX idx_todos_user_id ON todos (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE todos`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP SEQUENCE user_ids`);
    await q.query(`DROP SEQUENCE todo_ids`);
  }
}
