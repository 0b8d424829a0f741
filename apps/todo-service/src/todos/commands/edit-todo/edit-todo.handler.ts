import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../../domain/todo.aggregate';
import { TodoChange, TodoRepository } from '../../infrastructure/todo.repository';
import { EditTodoCommand } from './edit-todo.command';

@CommandHandler(EditTodoCommand)
export class EditTodoHandler implements ICommandHandler<EditTodoCommand, TodoChange> {
  constructor(private readonly todos: TodoRepository) {}

  execute({ todoId, actingUserId, title, description, causation, expectedVersion }: EditTodoCommand): Promise<TodoChange> {
    return this.todos.update(
      todoId,
      actingUserId,
      (todo) => decide({ type: 'EditTodo', todoId, title, description }, todo),
      causation,
      expectedVersion,
    );
  }
}
