/** The V5 audit log the coupling demo adds: records each fact the todo service posts to it, in PostgreSQL. */
import { Pool } from 'pg';
import { answer, readJson, serve } from './v5-http';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4, options: `-c search_path=${process.env.DB_SCHEMA}` });
// An idle connection PostgreSQL dropped is replaced on the next query; it must not end the process.
pool.on('error', () => undefined);

serve(
  'v5-audit',
  async (req, res, requestId) => {
    if (req.method === 'GET' && req.url === '/health/ready') return answer(res, 200, { status: 'ok' });
    if (req.method !== 'POST' || req.url !== '/audit') return answer(res, 404, { code: 'NOT_FOUND' });
    const fact = await readJson(req);
    await pool.query(`INSERT INTO audit_log (request_id, event, todo_id) VALUES ($1, $2, $3)`, [
      requestId,
      String(fact.event),
      Number(fact.todo_id),
    ]);
    answer(res, 204);
  },
  () => pool.end(),
);
