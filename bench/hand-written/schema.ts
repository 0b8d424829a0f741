/**
 * The hand-written baseline's tables: what a team would create for the same path without
 * a framework. One schema per process, as the platform has: the todo process's (todos, its
 * outbox, its views and their inbox), notification's and analytics' (an inbox and one
 * effect table each). Timestamps are now(), as the platform's, so the same hops can be read.
 */
import type { Client } from 'pg';

export interface HandWrittenSchemas {
  todo: string;
  notification: string;
  analytics: string;
}

const inbox = `CREATE TABLE inbox (event_id UUID PRIMARY KEY, processed_at TIMESTAMPTZ NOT NULL DEFAULT now())`;

export async function createHandWrittenSchemas(client: Client, schemas: HandWrittenSchemas): Promise<void> {
  const ddl: Record<keyof HandWrittenSchemas, string[]> = {
    todo: [
      `CREATE TABLE todos (
         id BIGSERIAL PRIMARY KEY,
         user_id INTEGER NOT NULL,
         title TEXT NOT NULL,
         description TEXT,
         request_id TEXT NOT NULL,
         created_at TIMESTAMPTZ NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX todos_request_id ON todos (request_id)`,
      `CREATE TABLE outbox (
         id BIGSERIAL PRIMARY KEY,
         event_id UUID NOT NULL UNIQUE,
         routing_key TEXT NOT NULL,
         payload JSON NOT NULL,
         created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
         sent_at TIMESTAMPTZ
       )`,
      `CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL`,
      inbox,
      `CREATE TABLE todo_views (todo_id BIGINT PRIMARY KEY, user_id INTEGER NOT NULL, title TEXT NOT NULL, completed BOOLEAN NOT NULL DEFAULT false)`,
    ],
    notification: [
      inbox,
      `CREATE TABLE notifications (
         event_id UUID PRIMARY KEY,
         todo_id BIGINT NOT NULL,
         user_id INTEGER NOT NULL,
         kind TEXT NOT NULL,
         created_at TIMESTAMPTZ NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX notifications_todo_id ON notifications (todo_id)`,
    ],
    analytics: [
      inbox,
      `CREATE TABLE todo_facts (todo_id BIGINT PRIMARY KEY, user_id INTEGER NOT NULL, created_at TIMESTAMPTZ NOT NULL, completed_at TIMESTAMPTZ)`,
    ],
  };
  for (const [key, statements] of Object.entries(ddl) as [keyof HandWrittenSchemas, string[]][]) {
    await client.query(`CREATE SCHEMA "${schemas[key]}"`);
    for (const statement of statements) await client.query(`SET search_path TO "${schemas[key]}"; ${statement}`);
  }
  await client.query('RESET search_path');
}
