import {
  NewEvent,
  TODO_AGGREGATE,
  TodoCompleted,
  TodoCreated,
  TodoDeleted,
  TodoEdited,
  TodoEvent,
  TodoEventType,
  TodoPriority,
  TodoPriorityChanged,
  TodoReopened,
} from '@todo/events';
import {
  TodoAlreadyCompletedError,
  TodoAlreadyExistsError,
  TodoDeletedError,
  TodoNotCompletedError,
  TodoNotFoundError,
} from './todo.errors';

export const TODO_STREAM_TYPE = TODO_AGGREGATE;
export const todoStreamId = (todoId: number): string => `todo-${todoId}`;

export type TodoDomainEvent = NewEvent<TodoEvent>;

export type TodoStatus = 'open' | 'completed' | 'deleted';

export interface Todo {
  id: number;
  userId: number;
  title: string;
  description: string;
  priority: TodoPriority;
  status: TodoStatus;
  completedAt: string | null;
}

/** Before the first event a todo does not exist. */
export type TodoState = Todo | undefined;

export type TodoCommand =
  | { type: 'CreateTodo'; todoId: number; userId: number; title: string; description: string; priority: TodoPriority }
  | { type: 'EditTodo'; todoId: number; title: string; description: string }
  | { type: 'ChangeTodoPriority'; todoId: number; priority: TodoPriority }
  | { type: 'CompleteTodo'; todoId: number; now: Date }
  | { type: 'ReopenTodo'; todoId: number }
  | { type: 'DeleteTodo'; todoId: number };

/**
 * Decides which events a command produces given the current state, or throws the rule
 * it breaks. A command that would change nothing produces no event.
 */
export function decide(command: TodoCommand, state: TodoState): TodoDomainEvent[] {
  if (command.type === 'CreateTodo') {
    if (state) throw new TodoAlreadyExistsError(command.todoId);
    const created: NewEvent<TodoCreated> = {
      type: TodoEventType.Created,
      version: 2,
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

  const todo = live(state, command.todoId);
  const owner = { todo_id: todo.id, user_id: todo.userId };
  switch (command.type) {
    case 'EditTodo': {
      if (todo.title === command.title && todo.description === command.description) return [];
      const edited: NewEvent<TodoEdited> = {
        type: TodoEventType.Edited,
        version: 1,
        data: { ...owner, title: command.title, description: command.description },
      };
      return [edited];
    }
    case 'ChangeTodoPriority': {
      if (todo.status === 'completed') throw new TodoAlreadyCompletedError(todo.id);
      if (todo.priority === command.priority) return [];
      const changed: NewEvent<TodoPriorityChanged> = {
        type: TodoEventType.PriorityChanged,
        version: 1,
        data: { ...owner, priority: command.priority, previous_priority: todo.priority },
      };
      return [changed];
    }
    case 'CompleteTodo': {
      if (todo.status === 'completed') throw new TodoAlreadyCompletedError(todo.id);
      const completed: NewEvent<TodoCompleted> = {
        type: TodoEventType.Completed,
        version: 1,
        data: { ...owner, title: todo.title, completed_at: command.now.toISOString() },
      };
      return [completed];
    }
    case 'ReopenTodo': {
      if (todo.status !== 'completed') throw new TodoNotCompletedError(todo.id);
      const reopened: NewEvent<TodoReopened> = { type: TodoEventType.Reopened, version: 1, data: owner };
      return [reopened];
    }
    case 'DeleteTodo': {
      const deleted: NewEvent<TodoDeleted> = { type: TodoEventType.Deleted, version: 1, data: owner };
      return [deleted];
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
    case TodoEventType.Edited:
      return { ...created(state, event), title: event.data.title, description: event.data.description };
    case TodoEventType.PriorityChanged:
      return { ...created(state, event), priority: event.data.priority };
    case TodoEventType.Completed:
      return { ...created(state, event), status: 'completed', completedAt: event.data.completed_at };
    case TodoEventType.Reopened:
      return { ...created(state, event), status: 'open', completedAt: null };
    case TodoEventType.Deleted:
      return { ...created(state, event), status: 'deleted' };
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

/** The todo a command acts on: it must exist and not be deleted. */
function live(state: TodoState, todoId: number): Todo {
  if (!state) throw new TodoNotFoundError(todoId);
  if (state.status === 'deleted') throw new TodoDeletedError(todoId);
  return state;
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
