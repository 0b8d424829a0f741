/** The V5 analytics service: POST /counters adds one to the user's created or completed count, in PostgreSQL. */
import { Pool } from 'pg';
import { answer, readJson, serve } from './v5-http';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, options: `-c search_path=${process.env.DB_SCHEMA}` });
// An idle connection PostgreSQL dropped is replaced on the next query; it must not end the process.
pool.on('error', () => undefined);
const COLUMNS: Record<string, string> = { 'todo.created': 'todos_created', 'todo.completed': 'todos_completed' };

serve(
  'v5-analytics',
  async (req, res) => {
    if (req.method === 'GET' && req.url === '/health/ready') return answer(res, 200, { status: 'ok' });
    if (req.method !== 'POST' || req.url !== '/counters') return answer(res, 404, { code: 'NOT_FOUND' });
    const fact = await readJson(req);
    const column = COLUMNS[String(fact.event)];
    if (!column) return answer(res, 400, { code: 'UNKNOWN_EVENT' });
    await pool.query(
      `INSERT INTO counters (user_id, ${column}) VALUES ($1, 1)
       ON CONFLICT (user_id) DO UPDATE SET ${column} = counters.${column} + 1`,
      [Number(fact.user_id)],
    );
    answer(res, 204);
  },
  () => pool.end(),
);
