/**
 * The V5 todo service: a write inserts the todo, then calls notification and analytics
 * over HTTP, one after the other, and answers only once both answered. A downstream that
 * fails or times out makes the request fail (502), although the todo is already saved —
 * the dual write a synchronous chain cannot avoid; its mail is then never sent.
 *
 * AUDIT_URL is the edit the coupling demo stands for: a new consumer is one more call in
 * this file, and a restart of this service to run it.
 */
import http from 'node:http';
import jwt from 'jsonwebtoken';
import { Pool } from 'pg';
import { DownstreamError, answer, callService, readJson, serve } from './v5-http';

const SERVICE = 'v5-todo';
const env = process.env;
const timeoutMs = Number(env.DOWNSTREAM_TIMEOUT_MS ?? 5_000);
const pool = new Pool({ connectionString: env.DATABASE_URL, max: 10, options: `-c search_path=${env.DB_SCHEMA}` });
// An idle connection PostgreSQL dropped is replaced on the next query; it must not end the process.
pool.on('error', () => undefined);

interface Caller {
  id: number;
  email: string;
}

function callerOf(req: http.IncomingMessage): Caller | undefined {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!token) return undefined;
  try {
    const claims = jwt.verify(token, env.JWT_SECRET!, { algorithms: ['HS256'], issuer: 'todo-platform', audience: 'todo-platform' });
    if (typeof claims === 'string') return undefined;
    return { id: Number(claims.sub), email: String(claims.email) };
  } catch {
    return undefined;
  }
}

interface TodoRow {
  id: number;
  user_id: number;
  title: string;
  status: string;
  version: number;
}

/** Everyone who must know about a change, called in turn: the coupling lives in this list. */
async function tellDownstreams(event: string, todo: TodoRow, caller: Caller, requestId: string): Promise<void> {
  const fact = { event, todo_id: todo.id, user_id: todo.user_id, title: todo.title, to: caller.email };
  await callService('notification', `${env.NOTIFICATION_URL}/notifications`, fact, requestId, timeoutMs);
  await callService('analytics', `${env.ANALYTICS_URL}/counters`, fact, requestId, timeoutMs);
  if (env.AUDIT_URL) await callService('audit', `${env.AUDIT_URL}/audit`, fact, requestId, timeoutMs);
}

async function write(res: http.ServerResponse, event: string, todo: TodoRow | undefined, caller: Caller, requestId: string) {
  if (!todo) return answer(res, 404, { code: 'TODO.NOT_FOUND' });
  try {
    await tellDownstreams(event, todo, caller, requestId);
  } catch (error) {
    if (!(error instanceof DownstreamError)) throw error;
    return answer(res, 502, { code: 'DOWNSTREAM_FAILED', service: error.service, message: error.message, todo_id: todo.id });
  }
  answer(res, event === 'todo.created' ? 201 : 200, todo);
}

serve(
  SERVICE,
  async (req, res, requestId) => {
    if (req.method === 'GET' && req.url === '/health/ready') return answer(res, 200, { status: 'ok' });
    const caller = callerOf(req);
    if (!caller) return answer(res, 401, { code: 'UNAUTHORIZED' });
    const complete = /^\/todos\/(\d+)\/complete$/.exec(req.url ?? '');
    const one = /^\/todos\/(\d+)$/.exec(req.url ?? '');
    if (req.method === 'POST' && req.url === '/todos') {
      const body = await readJson(req);
      if (typeof body.title !== 'string' || body.title.length === 0) return answer(res, 400, { code: 'VALIDATION_FAILED' });
      const { rows } = await pool.query<TodoRow>(
        `INSERT INTO todos (user_id, title, description) VALUES ($1, $2, $3) RETURNING id, user_id, title, status, version`,
        [caller.id, body.title, typeof body.description === 'string' ? body.description : null],
      );
      return write(res, 'todo.created', rows[0], caller, requestId);
    }
    if (req.method === 'PUT' && complete) {
      const { rows } = await pool.query<TodoRow>(
        `UPDATE todos SET status = 'completed', completed_at = now(), version = version + 1
          WHERE id = $1 AND user_id = $2 AND status <> 'completed' RETURNING id, user_id, title, status, version`,
        [Number(complete[1]), caller.id],
      );
      return write(res, 'todo.completed', rows[0], caller, requestId);
    }
    if (req.method === 'GET' && one) {
      const { rows } = await pool.query<TodoRow>(`SELECT id, user_id, title, status, version FROM todos WHERE id = $1 AND user_id = $2`, [
        Number(one[1]),
        caller.id,
      ]);
      return rows[0] ? answer(res, 200, rows[0]) : answer(res, 404, { code: 'TODO.NOT_FOUND' });
    }
    answer(res, 404, { code: 'NOT_FOUND' });
  },
  () => pool.end(),
);
