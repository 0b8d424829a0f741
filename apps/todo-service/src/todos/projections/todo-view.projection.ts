import { TodoEvent, TodoEventType } from '@todo/events';
import { EntityManager } from 'typeorm';

/**
 * Keeps the `todos` table — what GET /todos reads — in step with the todo events.
 * It runs inside the append's transaction, so the view is never behind the store.
 */
export async function projectTodoView(tx: EntityManager, events: readonly TodoEvent[], version: number): Promise<void> {
  let streamVersion = version - events.length;
  for (const event of events) {
    streamVersion += 1;
    switch (event.event_type) {
      case TodoEventType.Created:
        await tx.query(
          `INSERT INTO todos (id, user_id, title, description, priority, status, created_at, updated_at, version)
           VALUES ($1, $2, $3, $4, $5, 'open', $6, $6, $7)`,
          [event.todo_id, event.user_id, event.title, event.description, event.priority, event.occurred_at, streamVersion],
        );
        break;
      case TodoEventType.Completed:
        await tx.query(
          `UPDATE todos SET status = 'completed', completed_at = $2, updated_at = $3, version = $4 WHERE id = $1`,
          [event.todo_id, event.completed_at, event.occurred_at, streamVersion],
        );
        break;
      case TodoEventType.PriorityChanged:
        await tx.query(`UPDATE todos SET priority = $2, updated_at = $3, version = $4 WHERE id = $1`, [
          event.todo_id,
          event.priority,
          event.occurred_at,
          streamVersion,
        ]);
        break;
      default: {
        const unhandled: never = event;
        throw new Error(`todo view cannot project ${JSON.stringify(unhandled)}`);
      }
    }
  }
}
