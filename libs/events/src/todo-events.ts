import { EventEnvelope } from './envelope';

export const TODO_AGGREGATE = 'todo';

export const TODO_PRIORITIES = ['low', 'medium', 'high'] as const;
export type TodoPriority = (typeof TODO_PRIORITIES)[number];

export const TodoEventType = {
  Created: 'todo.created',
  Edited: 'todo.edited',
  PriorityChanged: 'todo.priority_changed',
  Completed: 'todo.completed',
  Reopened: 'todo.reopened',
  Deleted: 'todo.deleted',
} as const;

/** Every todo event type, for a consumer that handles them all. */
export const TODO_EVENT_TYPES = Object.values(TodoEventType) as [TodoEventTypeName, ...TodoEventTypeName[]];
export type TodoEventTypeName = (typeof TodoEventType)[keyof typeof TodoEventType];

/** Current shape (v2): v1 had no description. */
export type TodoCreated = EventEnvelope<typeof TodoEventType.Created, 2> & {
  todo_id: number;
  user_id: number;
  title: string;
  description: string;
  priority: TodoPriority;
};

/** The first shape of todo.created, still found in old streams and queues; upcast to v2 on read. */
export type TodoCreatedV1 = EventEnvelope<typeof TodoEventType.Created, 1> & {
  todo_id: number;
  user_id: number;
  title: string;
  priority: TodoPriority;
};

export type TodoEdited = EventEnvelope<typeof TodoEventType.Edited, 1> & {
  todo_id: number;
  user_id: number;
  title: string;
  description: string;
};

export type TodoPriorityChanged = EventEnvelope<typeof TodoEventType.PriorityChanged, 1> & {
  todo_id: number;
  user_id: number;
  priority: TodoPriority;
  previous_priority: TodoPriority;
};

export type TodoCompleted = EventEnvelope<typeof TodoEventType.Completed, 1> & {
  todo_id: number;
  user_id: number;
  title: string;
  completed_at: string;
};

export type TodoReopened = EventEnvelope<typeof TodoEventType.Reopened, 1> & {
  todo_id: number;
  user_id: number;
};

export type TodoDeleted = EventEnvelope<typeof TodoEventType.Deleted, 1> & {
  todo_id: number;
  user_id: number;
};

/** Every event the todo aggregate emits, in its current version. Switch on `event_type` exhaustively. */
export type TodoEvent = TodoCreated | TodoEdited | TodoPriorityChanged | TodoCompleted | TodoReopened | TodoDeleted;
