import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../../domain/todo.aggregate';
import { TodoChange, TodoRepository } from '../../infrastructure/todo.repository';
import { CompleteTodoCommand } from './complete-todo.command';

@CommandHandler(CompleteTodoCommand)
export class CompleteTodoHandler implements ICommandHandler<CompleteTodoCommand, TodoChange> {
  constructor(private readonly todos: TodoRepository) {}

  execute({ todoId, actingUserId, causation, expectedVersion }: CompleteTodoCommand): Promise<TodoChange> {
    return this.todos.update(
      todoId,
      actingUserId,
      (todo) => decide({ type: 'CompleteTodo', todoId, now: new Date() }, todo),
      causation,
      expectedVersion,
    );
  }
}
