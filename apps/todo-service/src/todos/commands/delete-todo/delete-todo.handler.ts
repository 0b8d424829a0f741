import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../../domain/todo.aggregate';
import { TodoChange, TodoRepository } from '../../infrastructure/todo.repository';
import { DeleteTodoCommand } from './delete-todo.command';

@CommandHandler(DeleteTodoCommand)
export class DeleteTodoHandler implements ICommandHandler<DeleteTodoCommand, TodoChange> {
  constructor(private readonly todos: TodoRepository) {}

  execute({ todoId, actingUserId, causation, expectedVersion }: DeleteTodoCommand): Promise<TodoChange> {
    return this.todos.update(todoId, actingUserId, (todo) => decide({ type: 'DeleteTodo', todoId }, todo), causation, expectedVersion);
  }
}
