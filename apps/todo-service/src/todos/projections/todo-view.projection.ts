import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InboxTransaction } from '@todo/event-store';
import { TODO_EVENT_TYPES, TodoEvent, TodoEventType } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { EntityManager } from 'typeorm';
import { TodoViewBehindError } from './todo-view-behind.error';

/**
 * Keeps the `todos` table — what GET /todos reads — from the todo events, consumed from
 * todo-service's own queue like any other subscriber. Each row carries the stream
 * version it reflects: an event already applied is skipped, and an event that arrives
 * before its predecessor fails (and is retried) until the predecessor is in.
 */
@Controller()
export class TodoViewProjection {
  @OnEvent(...TODO_EVENT_TYPES)
  apply(@Payload() event: TodoEvent, @InboxTransaction() tx: EntityManager): Promise<void> {
    return projectTodoEvent(tx, event);
  }
}

/**
 * Applies one event to a todos table (`table` lets a rebuild write into a shadow copy).
 * Idempotent and order-checked by the row's version.
 */
export async function projectTodoEvent(tx: EntityManager, event: TodoEvent, table = 'todos'): Promise<void> {
  const [row] = await tx.query(`SELECT version FROM ${table} WHERE id = $1 FOR UPDATE`, [event.todo_id]);
  const current = row ? Number(row.version) : 0;
  if (event.aggregate_version <= current) return;
  if (event.aggregate_version > current + 1) throw new TodoViewBehindError(event.todo_id, current, event.aggregate_version);

  const at = event.occurred_at;
  const version = event.aggregate_version;
  switch (event.event_type) {
    case TodoEventType.Created:
      await tx.query(
        `INSERT INTO ${table} (id, user_id, title, description, priority, status, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $6, $7)`,
        [event.todo_id, event.user_id, event.title, event.description, event.priority, at, version],
      );
      return;
    case TodoEventType.Edited:
      await tx.query(`UPDATE ${table} SET title = $2, description = $3, updated_at = $4, version = $5 WHERE id = $1`, [
        event.todo_id,
        event.title,
        event.description,
        at,
        version,
      ]);
      return;
    case TodoEventType.PriorityChanged:
      await tx.query(`UPDATE ${table} SET priority = $2, updated_at = $3, version = $4 WHERE id = $1`, [event.todo_id, event.priority, at, version]);
      return;
    case TodoEventType.Completed:
      await tx.query(`UPDATE ${table} SET status = 'completed', completed_at = $2, updated_at = $3, version = $4 WHERE id = $1`, [
        event.todo_id,
        event.completed_at,
        at,
        version,
      ]);
      return;
    case TodoEventType.Reopened:
      await tx.query(`UPDATE ${table} SET status = 'open', completed_at = NULL, updated_at = $2, version = $3 WHERE id = $1`, [event.todo_id, at, version]);
      return;
    case TodoEventType.Deleted:
      await tx.query(`UPDATE ${table} SET status = 'deleted', updated_at = $2, version = $3 WHERE id = $1`, [event.todo_id, at, version]);
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`todo view cannot project ${JSON.stringify(unhandled)}`);
    }
  }
}
