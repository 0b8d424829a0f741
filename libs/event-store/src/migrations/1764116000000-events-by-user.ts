import { MigrationInterface, QueryRunner } from 'typeorm';

/** A user's events in commit order: GET /events and the correlation timeline show a caller only their own. */
export class EventsByUser1764116000000 implements MigrationInterface {
  name = 'EventsByUser1764116000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_events_user_id ON events ((event_data->>'user_id'), global_position)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_events_user_id`);
  }
}
