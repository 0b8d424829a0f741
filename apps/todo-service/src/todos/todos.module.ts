import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { ChangeTodoPriorityHandler } from './commands/change-todo-priority/change-todo-priority.handler';
import { ChangeTodoPriorityHttpController } from './commands/change-todo-priority/change-todo-priority.http.controller';
import { CompleteTodoHandler } from './commands/complete-todo/complete-todo.handler';
import { CompleteTodoHttpController } from './commands/complete-todo/complete-todo.http.controller';
import { CreateTodoHandler } from './commands/create-todo/create-todo.handler';
import { CreateTodoHttpController } from './commands/create-todo/create-todo.http.controller';
import { DeleteTodoHandler } from './commands/delete-todo/delete-todo.handler';
import { DeleteTodoHttpController } from './commands/delete-todo/delete-todo.http.controller';
import { EditTodoHandler } from './commands/edit-todo/edit-todo.handler';
import { EditTodoHttpController } from './commands/edit-todo/edit-todo.http.controller';
import { ReopenTodoHandler } from './commands/reopen-todo/reopen-todo.handler';
import { ReopenTodoHttpController } from './commands/reopen-todo/reopen-todo.http.controller';
import { TodoRepository } from './infrastructure/todo.repository';
import { TodoViewProjection } from './projections/todo-view.projection';
import { GetTodoEventsHandler } from './queries/get-todo-events/get-todo-events.handler';
import { GetTodoEventsHttpController } from './queries/get-todo-events/get-todo-events.http.controller';
import { GetTodoHandler } from './queries/get-todo/get-todo.handler';
import { GetTodoHttpController } from './queries/get-todo/get-todo.http.controller';
import { ListTodosHandler } from './queries/list-todos/list-todos.handler';
import { ListTodosHttpController } from './queries/list-todos/list-todos.http.controller';
import { CommandRunner } from '../infrastructure/cqrs/command-runner';

const controllers = [
  CreateTodoHttpController,
  EditTodoHttpController,
  ChangeTodoPriorityHttpController,
  CompleteTodoHttpController,
  ReopenTodoHttpController,
  DeleteTodoHttpController,
  ListTodosHttpController,
  GetTodoHttpController,
  GetTodoEventsHttpController,
];
const commandHandlers = [
  CreateTodoHandler,
  EditTodoHandler,
  ChangeTodoPriorityHandler,
  CompleteTodoHandler,
  ReopenTodoHandler,
  DeleteTodoHandler,
];
const projections = [TodoViewProjection];
const queryHandlers = [GetTodoHandler, ListTodosHandler, GetTodoEventsHandler];
const repositories = [TodoRepository];

@Module({
  imports: [UsersModule],
  controllers,
  providers: [...projections, ...commandHandlers, ...queryHandlers, ...repositories, CommandRunner],
})
export class TodosModule {}
