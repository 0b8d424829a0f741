/**
 * POST /todos, by hand: node:http, the JSON body checked, then one transaction that
 * inserts the todo and its event in the outbox and notifies the relay (NOTIFY is delivered
 * on commit). The X-Request-Id becomes the event's correlation id, as in the platform.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Pool } from 'pg';
import { answer, readBody } from './json-http';

/** What the hand-written services send each other: plain JSON, no envelope library. */
export interface TodoCreatedMessage {
  event_id: string;
  event_type: 'todo.created';
  event_version: 1;
  aggregate_id: string;
  occurred_at: string;
  correlation_id: string;
  todo_id: number;
  user_id: number;
  title: string;
  description: string | null;
}

export const OUTBOX_CHANNEL = 'outbox';

async function createTodo(pool: Pool, input: { title: string; description: string | null; user_id: number }, requestId: string) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string; created_at: Date }>(
      'INSERT INTO todos (user_id, title, description, request_id) VALUES ($1, $2, $3, $4) RETURNING id, created_at',
      [input.user_id, input.title, input.description, requestId],
    );
    const todoId = Number(rows[0].id);
    const event: TodoCreatedMessage = {
      event_id: randomUUID(),
      event_type: 'todo.created',
      event_version: 1,
      aggregate_id: `todo-${todoId}`,
      occurred_at: rows[0].created_at.toISOString(),
      correlation_id: requestId,
      todo_id: todoId,
      user_id: input.user_id,
      title: input.title,
      description: input.description,
    };
    await client.query('INSERT INTO outbox (event_id, routing_key, payload) VALUES ($1, $2, $3)', [
      event.event_id,
      event.event_type,
      JSON.stringify(event),
    ]);
    await client.query(`NOTIFY ${OUTBOX_CHANNEL}`);
    await client.query('COMMIT');
    return { id: todoId, title: input.title, description: input.description, user_id: input.user_id, completed: false };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function parseTodo(text: string): { title: string; description: string | null; user_id: number } | undefined {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const { title, description, user_id } = body;
    if (typeof title !== 'string' || title.length === 0 || title.length > 200) return undefined;
    if (description !== undefined && typeof description !== 'string') return undefined;
    if (!Number.isInteger(user_id) || (user_id as number) < 1) return undefined;
    return { title, description: description ?? null, user_id: user_id as number };
  } catch {
    return undefined;
  }
}

export function startHttp(pool: Pool, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/todos') return answer(res, 404, { error: 'not found' });
    readBody(req)
      .then(async (text) => {
        const input = parseTodo(text);
        if (!input) return answer(res, 400, { error: 'title (1–200 characters) and user_id (a positive integer) are required' });
        const requestId = String(req.headers['x-request-id'] ?? randomUUID());
        answer(res, 201, await createTodo(pool, input, requestId));
      })
      .catch((error: unknown) => {
        process.stderr.write(`POST /todos failed: ${String(error)}\n`);
        answer(res, 500, { error: 'internal error' });
      });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
