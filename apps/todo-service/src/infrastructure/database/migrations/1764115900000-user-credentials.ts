import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Password hashes, beside the users view and never in an event: events are published
 * to every consumer, a hash must stay in this schema.
 */
export class UserCredentials1764115900000 implements MigrationInterface {
  name = 'UserCredentials1764115900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_credentials (
        user_id INTEGER PRIMARY KEY REFERENCES users (id),
        password_hash TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_credentials`);
  }
}
