import { EventEnvelope } from './envelope';
import { MessageDescription } from './message-contracts';

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

/**
 * What each todo event means: when todo-service sends it (each in the transaction that
 * decided it, through its outbox), who receives it and why. The AsyncAPI document shows it.
 */
export const TODO_EVENT_DESCRIPTIONS: Readonly<Record<TodoEventTypeName, MessageDescription>> = {
  [TodoEventType.Created]: {
    summary: 'A user created a todo.',
    description:
      'A user created a todo (POST /todos): its id, its owner, title, description and priority; it is open, at version 1 of ' +
      'its stream. notification-service mails the owner that the todo exists; analytics-service counts it (created, by ' +
      'priority, by user); todo-service reads it back into its query views.',
    earlierVersions: {
      1: 'v1 has no description: todo-service sent it before todos had one. Read as v2 with an empty description.',
    },
  },
  [TodoEventType.Edited]: {
    summary: "A todo's title or description changed.",
    description:
      "The owner edited a todo (PUT /todos/:id): its title and description as they now are. todo-service's query views " +
      'show the new text; analytics-service only notes that the todo exists (it counts no text).',
  },
  [TodoEventType.PriorityChanged]: {
    summary: "A todo's priority changed.",
    description:
      'The owner gave an open todo another priority (PUT /todos/:id/priority), with the one it had before; a completed ' +
      "todo's priority no longer changes. analytics-service moves it from one priority's count to the other's; todo-service " +
      'updates its views.',
  },
  [TodoEventType.Completed]: {
    summary: 'A todo was completed.',
    description:
      'The owner completed a todo (PUT /todos/:id/complete), at completed_at, with its title; completing it again is ' +
      'refused, so a todo completes once until it is reopened. notification-service mails the owner ("Todo Completed"); ' +
      'analytics-service counts the completion and how long it took; todo-service updates its views.',
  },
  [TodoEventType.Reopened]: {
    summary: 'A completed todo was opened again.',
    description:
      'The owner reopened a completed todo (PUT /todos/:id/reopen): it is open again, and may be completed anew. ' +
      'analytics-service takes the completion back out of its counts; todo-service updates its views.',
  },
  [TodoEventType.Deleted]: {
    summary: 'A todo was deleted.',
    description:
      "The owner deleted a todo (DELETE /todos/:id): the stream's last event, nothing changes it afterwards. " +
      'analytics-service leaves it out of its counts from then on, whatever arrives late; todo-service removes it from its views.',
  },
};
