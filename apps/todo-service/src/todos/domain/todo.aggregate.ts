import {
  NewEvent,
  TODO_AGGREGATE,
  TodoCompleted,
  TodoCreated,
  TodoEvent,
  TodoEventType,
  TodoPriority,
  TodoPriorityChanged,
} from '@todo/events';
import { TodoAlreadyCompletedError, TodoAlreadyExistsError, TodoNotFoundError } from './todo.errors';

export const TODO_STREAM_TYPE = TODO_AGGREGATE;
export const todoStreamId = (todoId: number): string => `todo-${todoId}`;

export type TodoDomainEvent = NewEvent<TodoEvent>;

export interface Todo {
  id: number;
  userId: number;
  title: string;
  description: string;
  priority: TodoPriority;
  status: 'open' | 'completed';
  completedAt: string | null;
}

/** Before the first event a todo does not exist. */
export type TodoState = Todo | undefined;

export type TodoCommand =
  | { type: 'CreateTodo'; todoId: number; userId: number; title: string; description: string; priority: TodoPriority }
  | { type: 'CompleteTodo'; todoId: number; now: Date }
  | { type: 'ChangeTodoPriority'; todoId: number; priority: TodoPriority };

/** Decides which events a command produces given the current state, or throws the rule it breaks. */
export function decide(command: TodoCommand, state: TodoState): TodoDomainEvent[] {
  switch (command.type) {
    case 'CreateTodo': {
      if (state) throw new TodoAlreadyExistsError(command.todoId);
      const created: NewEvent<TodoCreated> = {
        type: TodoEventType.Created,
        version: 1,
        data: {
          todo_id: command.todoId,
          user_id: command.userId,
          title: command.title,
          description: command.description,
          priority: command.priority,
        },
      };
      return [created];
    }
    case 'CompleteTodo': {
      const todo = existing(state, command.todoId);
      if (todo.status === 'completed') throw new TodoAlreadyCompletedError(todo.id);
      const completed: NewEvent<TodoCompleted> = {
        type: TodoEventType.Completed,
        version: 1,
        data: { todo_id: todo.id, user_id: todo.userId, title: todo.title, completed_at: command.now.toISOString() },
      };
      return [completed];
    }
    case 'ChangeTodoPriority': {
      const todo = existing(state, command.todoId);
      if (todo.status === 'completed') throw new TodoAlreadyCompletedError(todo.id);
      if (todo.priority === command.priority) return [];
      const changed: NewEvent<TodoPriorityChanged> = {
        type: TodoEventType.PriorityChanged,
        version: 1,
        data: { todo_id: todo.id, user_id: todo.userId, priority: command.priority, previous_priority: todo.priority },
      };
      return [changed];
    }
    default:
      return assertNever(command);
  }
}

/** Applies one event to the state. Pure: rebuilding a todo is a fold of its events. */
export function evolve(state: TodoState, event: TodoDomainEvent): TodoState {
  switch (event.type) {
    case TodoEventType.Created:
      return {
        id: event.data.todo_id,
        userId: event.data.user_id,
        title: event.data.title,
        description: event.data.description,
        priority: event.data.priority,
        status: 'open',
        completedAt: null,
      };
    case TodoEventType.Completed:
      return { ...created(state, event), status: 'completed', completedAt: event.data.completed_at };
    case TodoEventType.PriorityChanged:
      return { ...created(state, event), priority: event.data.priority };
    default:
      return assertNever(event);
  }
}

export function rebuild(events: readonly TodoDomainEvent[]): TodoState {
  return events.reduce<TodoState>(evolve, undefined);
}

/** A stream whose first event is not todo.created is corrupt; say so rather than fold it into nothing. */
function created(state: TodoState, event: TodoDomainEvent): Todo {
  if (!state) throw new Error(`corrupt todo stream: ${event.type} before ${TodoEventType.Created}`);
  return state;
}

function existing(state: TodoState, todoId: number): Todo {
  if (!state) throw new TodoNotFoundError(todoId);
  return state;
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
