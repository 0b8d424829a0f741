import { DataSource } from 'typeorm';
import { UserSummary } from './get-summary/analytics-summary';

/** Completed over live todos; 0 when there are none. */
export const completionRate = (completed: number, live: number): number => (live === 0 ? 0 : completed / live);

/** Each user's todo figures from `todo_facts`, by user id; only `userId`'s when given. */
export async function userSummaries(dataSource: DataSource, userId?: number): Promise<UserSummary[]> {
  const users: { user_id: number; created: number; live: number; completed: number }[] = await dataSource.query(
    `SELECT user_id, count(created_at)::int AS created,
            count(*) FILTER (WHERE deleted_at IS NULL AND created_at IS NOT NULL)::int AS live,
            count(*) FILTER (WHERE deleted_at IS NULL AND completed_at IS NOT NULL)::int AS completed
       FROM todo_facts WHERE ($1::int IS NULL OR user_id = $1) GROUP BY user_id ORDER BY user_id`,
    [userId ?? null],
  );
  return users.map((u) => ({
    user_id: u.user_id,
    todos_created: u.created,
    todos_completed: u.completed,
    completion_rate: completionRate(u.completed, u.live),
  }));
}
