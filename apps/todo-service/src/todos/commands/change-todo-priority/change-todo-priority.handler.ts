import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../../domain/todo.aggregate';
import { TodoChange, TodoRepository } from '../../infrastructure/todo.repository';
import { ChangeTodoPriorityCommand } from './change-todo-priority.command';

@CommandHandler(ChangeTodoPriorityCommand)
export class ChangeTodoPriorityHandler implements ICommandHandler<ChangeTodoPriorityCommand, TodoChange> {
  constructor(private readonly todos: TodoRepository) {}

  execute({ todoId, actingUserId, priority, causation, expectedVersion }: ChangeTodoPriorityCommand): Promise<TodoChange> {
    return this.todos.update(
      todoId,
      actingUserId,
      (todo) => decide({ type: 'ChangeTodoPriority', todoId, priority }, todo),
      causation,
      expectedVersion,
    );
  }
}
