import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InboxTransaction } from '@todo/event-store';
import { EventType, TodoCompleted, TodoCreated, TodoPriorityChanged } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { EntityManager } from 'typeorm';

/**
 * Folds todo events into `todo_facts`. Each write is an upsert that only fills in
 * what its event knows, so the facts come out the same whatever order the events of
 * different todos arrive in.
 */
@Controller()
export class TodoFactsProjection {
  @OnEvent(EventType.Todo.Created)
  async onCreated(@Payload() event: TodoCreated, @InboxTransaction() tx: EntityManager): Promise<void> {
    await tx.query(
      `INSERT INTO todo_facts (todo_id, user_id, priority, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (todo_id) DO UPDATE SET created_at = EXCLUDED.created_at,
         priority = coalesce(todo_facts.priority, EXCLUDED.priority)`,
      [event.todo_id, event.user_id, event.priority, event.occurred_at],
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
      `INSERT INTO todo_facts (todo_id, user_id, priority, priority_changes) VALUES ($1, $2, $3, 1)
       ON CONFLICT (todo_id) DO UPDATE SET priority = EXCLUDED.priority,
         priority_changes = todo_facts.priority_changes + 1`,
      [event.todo_id, event.user_id, event.priority],
    );
  }
}
