import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../../domain/todo.aggregate';
import { TodoOwnerUnknownError } from '../../domain/todo.errors';
import { TodoChange, TodoRepository } from '../../infrastructure/todo.repository';
import { CreateTodoCommand } from './create-todo.command';
import { TodoOwners } from './todo-owners';

@CommandHandler(CreateTodoCommand)
export class CreateTodoHandler implements ICommandHandler<CreateTodoCommand, TodoChange> {
  constructor(
    private readonly todos: TodoRepository,
    private readonly owners: TodoOwners,
  ) {}

  async execute(command: CreateTodoCommand): Promise<TodoChange> {
    // Users are never removed, so checking outside the append's transaction is safe.
    if (!(await this.owners.exists(command.userId))) throw new TodoOwnerUnknownError(command.userId);
    return this.todos.create(
      (todoId) =>
        decide(
          {
            type: 'CreateTodo',
            todoId,
            userId: command.userId,
            title: command.title,
            description: command.description,
            priority: command.priority,
          },
          undefined,
        ),
      command.causation,
    );
  }
}
