import { EventEnvelope } from './envelope';

export const TODO_AGGREGATE = 'todo';

export const TODO_PRIORITIES = ['low', 'medium', 'high'] as const;
export type TodoPriority = (typeof TODO_PRIORITIES)[number];

export const TodoEventType = {
  Created: 'todo.created',
  Completed: 'todo.completed',
  PriorityChanged: 'todo.priority_changed',
} as const;

export type TodoCreated = EventEnvelope<typeof TodoEventType.Created, 1> & {
  todo_id: number;
  user_id: number;
  title: string;
  description: string;
  priority: TodoPriority;
};

export type TodoCompleted = EventEnvelope<typeof TodoEventType.Completed, 1> & {
  todo_id: number;
  user_id: number;
  title: string;
  completed_at: string;
};

export type TodoPriorityChanged = EventEnvelope<typeof TodoEventType.PriorityChanged, 1> & {
  todo_id: number;
  user_id: number;
  priority: TodoPriority;
  previous_priority: TodoPriority;
};

/** Every event the todo aggregate emits. Switch on `event_type` exhaustively. */
export type TodoEvent = TodoCreated | TodoCompleted | TodoPriorityChanged;
