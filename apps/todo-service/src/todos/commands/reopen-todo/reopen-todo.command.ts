import { Command } from '@nestjs/cqrs';
import { Causation } from '@todo/event-store';
import { TodoChange } from '../../infrastructure/todo.repository';

export class ReopenTodoCommand extends Command<TodoChange> {
  constructor(
    readonly todoId: number,
    /** The caller, from the token: a todo of anyone else is answered as not found. */
    readonly actingUserId: number,
    readonly causation: Causation,
    /** From If-Match: act only if the todo is still at this version. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
