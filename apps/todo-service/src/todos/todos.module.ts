import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { ChangeTodoPriorityHandler } from './commands/change-todo-priority/change-todo-priority.handler';
import { ChangeTodoPriorityHttpController } from './commands/change-todo-priority/change-todo-priority.http.controller';
import { CompleteTodoHandler } from './commands/complete-todo/complete-todo.handler';
import { CompleteTodoHttpController } from './commands/complete-todo/complete-todo.http.controller';
import { CreateTodoHandler } from './commands/create-todo/create-todo.handler';
import { CreateTodoHttpController } from './commands/create-todo/create-todo.http.controller';
import { TodoRepository } from './infrastructure/todo.repository';
import { GetTodoEventsHandler } from './queries/get-todo-events/get-todo-events.handler';
import { GetTodoEventsHttpController } from './queries/get-todo-events/get-todo-events.http.controller';
import { GetTodoHandler } from './queries/get-todo/get-todo.handler';
import { GetTodoHttpController } from './queries/get-todo/get-todo.http.controller';
import { ListTodosHandler } from './queries/list-todos/list-todos.handler';
import { ListTodosHttpController } from './queries/list-todos/list-todos.http.controller';

const controllers = [
  CreateTodoHttpController,
  CompleteTodoHttpController,
  ChangeTodoPriorityHttpController,
  ListTodosHttpController,
  GetTodoHttpController,
  GetTodoEventsHttpController,
];
const commandHandlers = [CreateTodoHandler, CompleteTodoHandler, ChangeTodoPriorityHandler];
const queryHandlers = [GetTodoHandler, ListTodosHandler, GetTodoEventsHandler];
const repositories = [TodoRepository];

@Module({
  imports: [UsersModule],
  controllers,
  providers: [...commandHandlers, ...queryHandlers, ...repositories],
})
export class TodosModule {}
