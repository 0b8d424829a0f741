import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InboxTransaction } from '@todo/event-store';
import { EventType, TodoCompleted, TodoCreated, TodoPriorityChanged } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { EntityManager } from 'typeorm';

/** Sets priority only from an event newer than the one that set it last. */
const NEWER_PRIORITY = `
  priority = CASE WHEN todo_facts.priority_version IS NULL OR todo_facts.priority_version < EXCLUDED.priority_version
                  THEN EXCLUDED.priority ELSE todo_facts.priority END,
  priority_version = greatest(todo_facts.priority_version, EXCLUDED.priority_version)`;

/**
 * Folds todo events into `todo_facts`, one row per todo. Every write is an upsert that
 * fills in only what its event knows, and priority carries the stream version that
 * set it — so the facts come out right whatever order the events arrive in (two
 * competing instances, or a retried event overtaken by a later one). Duplicates never
 * get here: the inbox stops them.
 */
@Controller()
export class TodoFactsProjection {
  @OnEvent(EventType.Todo.Created)
  async onCreated(@Payload() event: TodoCreated, @InboxTransaction() tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO todo_facts (todo_id, user_id, priority, priority_version, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (todo_id) DO UPDATE SET created_at = EXCLUDED.created_at, ${NEWER_PRIORITY}`,
      [event.todo_id, event.user_id, event.priority, event.aggregate_version, event.occurred_at],
    );
  }

  @OnEvent(EventType.Todo.Completed)
  async onCompleted(@Payload() event: TodoCompleted, @InboxTransaction() tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO todo_facts (todo_id, user_id, completed_at) VALUES ($1, $2, $3)
       ON CONFLICT (todo_id) DO UPDATE SET completed_at = EXCLUDED.completed_at`,
      [event.todo_id, event.user_id, event.completed_at],
    );
  }

  @OnEvent(EventType.Todo.PriorityChanged)
  async onPriorityChanged(@Payload() event: TodoPriorityChanged, @InboxTransaction() tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO todo_facts (todo_id, user_id, priority, priority_version, priority_changes) VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (todo_id) DO UPDATE SET priority_changes = todo_facts.priority_changes + 1, ${NEWER_PRIORITY}`,
      [event.todo_id, event.user_id, event.priority, event.aggregate_version],
    );
  }
}
