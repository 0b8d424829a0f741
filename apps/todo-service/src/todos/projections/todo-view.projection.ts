import { Injectable } from '@nestjs/common';
import { EventStore, InboxContext } from '@todo/event-store';
import { TODO_EVENT_TYPES, TodoCreated, TodoEvent, TodoEventType } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { EntityManager } from 'typeorm';
import { TodoViewBehindError } from './todo-view-behind.error';

/**
 * Keeps the `todos` table — what GET /todos reads — from the todo events, consumed from
 * todo-service's own queue like any other subscriber. Each row carries the stream
 * version it reflects: an event already applied is skipped, and an event that arrives
 * before its predecessors (a redelivery overtaken after a broker fault, a retry, a second
 * instance) brings the view up to it from the event store first, in the same
 * transaction: the store is this service's own, and every version before a published
 * event is committed. The predecessors, when they arrive, are then skipped.
 */
@Injectable()
export class TodoViewProjection {
  constructor(private readonly store: EventStore) {}

  @OnEvent(...TODO_EVENT_TYPES)
  apply(event: TodoEvent, { tx }: InboxContext): Promise<void> {
    return projectTodoEvent(tx, event, 'todos', async (streamId) =>
      (await this.store.readStream<TodoEvent>(tx, streamId)).map((stored) => stored.event),
    );
  }
}

/** The events of a todo's stream, in version order (from the event store). */
export type TodoHistory = (streamId: string) => Promise<TodoEvent[]>;

/**
 * Applies one event to a todos table (`table` lets a rebuild write into a shadow copy).
 * Idempotent and order-checked by the row's version: each write applies only on top of
 * the version before it — one statement on the common path — and when it does not
 * apply, the row's version tells an event already applied (skipped) from one that came
 * before its predecessors: those are applied first from `history`, or, without it, the
 * event fails (and is retried).
 */
export async function projectTodoEvent(tx: EntityManager, event: TodoEvent, table = 'todos', history?: TodoHistory): Promise<void> {
  const at = event.occurred_at;
  const version = event.aggregate_version;
  if (event.event_type === TodoEventType.Created) {
    // Version 1: a row that exists already reflects it.
    await tx.query(
      `INSERT INTO ${table} (id, user_id, title, description, priority, status, created_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, 'open', $6, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [event.todo_id, event.user_id, event.title, event.description, event.priority, at, version],
    );
    return;
  }
  const [assignments, values] = changeOf(event);
  // typeorm returns an UPDATE's result as [rows, affected count].
  const [, applied]: [unknown, number] = await tx.query(
    `UPDATE ${table} SET ${assignments}, updated_at = $3, version = $2 WHERE id = $1 AND version = $2 - 1`,
    [event.todo_id, version, at, ...values],
  );
  if (applied === 1) return;
  const [row] = await tx.query(`SELECT version FROM ${table} WHERE id = $1`, [event.todo_id]);
  const current = row ? Number(row.version) : 0;
  if (version <= current) return;
  const missing = history
    ? (await history(event.aggregate_id)).filter((e) => e.aggregate_version > current && e.aggregate_version < version)
    : [];
  if (missing.length !== version - current - 1) throw new TodoViewBehindError(event.todo_id, current, version);
  // Without `history` now: each of these is the next version, so it applies.
  for (const earlier of [...missing, event]) await projectTodoEvent(tx, earlier, table);
}

/** The columns an event other than todo.created changes, as SQL assignments from $4 on. */
function changeOf(event: Exclude<TodoEvent, TodoCreated>): [string, unknown[]] {
  switch (event.event_type) {
    case TodoEventType.Edited:
      return ['title = $4, description = $5', [event.title, event.description]];
    case TodoEventType.PriorityChanged:
      return ['priority = $4', [event.priority]];
    case TodoEventType.Completed:
      return [`status = 'completed', completed_at = $4`, [event.completed_at]];
    case TodoEventType.Reopened:
      return [`status = 'open', completed_at = NULL`, []];
    case TodoEventType.Deleted:
      return [`status = 'deleted'`, []];
    default: {
      const unhandled: never = event;
      throw new Error(`todo view cannot project ${JSON.stringify(unhandled)}`);
    }
  }
}
