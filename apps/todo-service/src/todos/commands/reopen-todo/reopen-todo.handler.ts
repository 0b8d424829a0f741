import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../../domain/todo.aggregate';
import { TodoChange, TodoRepository } from '../../infrastructure/todo.repository';
import { ReopenTodoCommand } from './reopen-todo.command';

@CommandHandler(ReopenTodoCommand)
export class ReopenTodoHandler implements ICommandHandler<ReopenTodoCommand, TodoChange> {
  constructor(private readonly todos: TodoRepository) {}

  execute({ todoId, actingUserId, causation, expectedVersion }: ReopenTodoCommand): Promise<TodoChange> {
    return this.todos.update(todoId, actingUserId, (todo) => decide({ type: 'ReopenTodo', todoId }, todo), causation, expectedVersion);
  }
}
