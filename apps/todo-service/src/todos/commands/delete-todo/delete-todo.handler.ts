import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../../domain/todo.aggregate';
import { TodoChange, TodoRepository } from '../../infrastructure/todo.repository';
import { DeleteTodoCommand } from './delete-todo.command';

@CommandHandler(DeleteTodoCommand)
export class DeleteTodoHandler implements ICommandHandler<DeleteTodoCommand, TodoChange> {
  constructor(private readonly todos: TodoRepository) {}

  execute({ todoId, causation, expectedVersion }: DeleteTodoCommand): Promise<TodoChange> {
    return this.todos.update(todoId, (todo) => decide({ type: 'DeleteTodo', todoId }, todo), causation, expectedVersion);
  }
}
