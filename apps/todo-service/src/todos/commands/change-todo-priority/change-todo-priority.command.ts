import { Command } from '@nestjs/cqrs';
import { Causation } from '@todo/event-store';
import { TodoPriority } from '@todo/events';
import { TodoChange } from '../../infrastructure/todo.repository';

export class ChangeTodoPriorityCommand extends Command<TodoChange> {
  constructor(
    readonly todoId: number,
    /** The caller, from the token: a todo of anyone else is answered as not found. */
    readonly actingUserId: number,
    readonly priority: TodoPriority,
    readonly causation: Causation,
    /** From If-Match: act only if the todo is still at this version. */
    readonly expectedVersion?: number,
  ) {
    super();
  }
}
