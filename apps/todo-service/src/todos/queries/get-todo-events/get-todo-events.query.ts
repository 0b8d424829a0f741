import { Query } from '@nestjs/cqrs';
import { TodoEvent } from '@todo/events';

export interface TodoStreamEntry {
  /** Global position in the event store. */
  position: number;
  /** Position in the todo's stream, from 1. */
  version: number;
  event: TodoEvent;
}

export class GetTodoEventsQuery extends Query<TodoStreamEntry[]> {
  constructor(
    readonly todoId: number,
    /** The caller: another user's todo is not found. */
    readonly ownerId: number,
  ) {
    super();
  }
}
