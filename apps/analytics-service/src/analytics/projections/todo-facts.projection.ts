import { Injectable } from '@nestjs/common';
import { InboxContext } from '@todo/event-store';
import { TODO_EVENT_TYPES, TodoEvent, TodoEventType } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { EntityManager } from 'typeorm';

/**
 * Folds todo events into `todo_facts` (one row per todo) and `todo_changes` (one row
 * per counted change). Every write fills in only what its event knows, and priority
 * and status carry the stream version that set them — so the facts come out right
 * whatever order the events arrive in (competing instances, a retry overtaken) and
 * applying an event twice changes nothing (a rebuild overlapping live consumption).
 */
@Injectable()
export class TodoFactsProjection {
  @OnEvent(...TODO_EVENT_TYPES)
  apply(event: TodoEvent, { tx }: InboxContext): Promise<void> {
    return projectTodoFact(tx, event);
  }
}

/** Applies one event; `tables` lets a rebuild write into shadow copies. */
export async function projectTodoFact(
  tx: EntityManager,
  event: TodoEvent,
  tables: { facts: string; changes: string } = { facts: 'todo_facts', changes: 'todo_changes' },
): Promise<void> {
  const { facts, changes } = tables;
  const newerPriority = `
    priority = CASE WHEN ${facts}.priority_version IS NULL OR ${facts}.priority_version < EXCLUDED.priority_version
                    THEN EXCLUDED.priority ELSE ${facts}.priority END,
    priority_version = greatest(${facts}.priority_version, EXCLUDED.priority_version)`;
  const newerStatus = (completedAt: string) => `
    completed_at = CASE WHEN ${facts}.status_version IS NULL OR ${facts}.status_version < EXCLUDED.status_version
                        THEN ${completedAt} ELSE ${facts}.completed_at END,
    status_version = greatest(${facts}.status_version, EXCLUDED.status_version)`;
  const count = () =>
    tx.query(`INSERT INTO ${changes} (todo_id, aggregate_version, event_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      event.todo_id,
      event.aggregate_version,
      event.event_type,
    ]);

  switch (event.event_type) {
    case TodoEventType.Created:
      await tx.query(
        `INSERT INTO ${facts} (todo_id, user_id, priority, priority_version, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (todo_id) DO UPDATE SET created_at = EXCLUDED.created_at, ${newerPriority}`,
        [event.todo_id, event.user_id, event.priority, event.aggregate_version, event.occurred_at],
      );
      return;
    case TodoEventType.Edited:
      // Title and description are not counted; the todo just needs to be known.
      await tx.query(`INSERT INTO ${facts} (todo_id, user_id) VALUES ($1, $2) ON CONFLICT (todo_id) DO NOTHING`, [
        event.todo_id,
        event.user_id,
      ]);
      return;
    case TodoEventType.PriorityChanged:
      await tx.query(
        `INSERT INTO ${facts} (todo_id, user_id, priority, priority_version) VALUES ($1, $2, $3, $4)
         ON CONFLICT (todo_id) DO UPDATE SET ${newerPriority}`,
        [event.todo_id, event.user_id, event.priority, event.aggregate_version],
      );
      await count();
      return;
    case TodoEventType.Completed:
      await tx.query(
        `INSERT INTO ${facts} (todo_id, user_id, completed_at, status_version) VALUES ($1, $2, $3, $4)
         ON CONFLICT (todo_id) DO UPDATE SET ${newerStatus('EXCLUDED.completed_at')}`,
        [event.todo_id, event.user_id, event.completed_at, event.aggregate_version],
      );
      await count();
      return;
    case TodoEventType.Reopened:
      await tx.query(
        `INSERT INTO ${facts} (todo_id, user_id, status_version) VALUES ($1, $2, $3)
         ON CONFLICT (todo_id) DO UPDATE SET ${newerStatus('NULL')}`,
        [event.todo_id, event.user_id, event.aggregate_version],
      );
      await count();
      return;
    case TodoEventType.Deleted:
      // Deletion is final: whatever arrives after it does not bring the todo back.
      await tx.query(
        `INSERT INTO ${facts} (todo_id, user_id, deleted_at) VALUES ($1, $2, $3)
         ON CONFLICT (todo_id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at`,
        [event.todo_id, event.user_id, event.occurred_at],
      );
      await count();
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`analytics cannot project ${JSON.stringify(unhandled)}`);
    }
  }
}
