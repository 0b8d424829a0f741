import { Command } from '@nestjs/cqrs';
import { Causation } from '@todo/event-store';
import { TodoPriority } from '@todo/events';
import { TodoChange } from '../../infrastructure/todo.repository';

export class CreateTodoCommand extends Command<TodoChange> {
  constructor(
    readonly userId: number,
    readonly title: string,
    readonly description: string,
    readonly priority: TodoPriority,
    readonly causation: Causation,
  ) {
    super();
  }
}
