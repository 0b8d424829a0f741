import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { TodoView } from '../todo.view';
import { ListTodosQuery } from './list-todos.query';
import { ListTodosRequest } from './list-todos.request';

@ApiTags('todos')
@Controller('todos')
export class ListTodosHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOkResponse({ type: [TodoView] })
  list(@Query() request: ListTodosRequest): Promise<TodoView[]> {
    return this.queryBus.execute(
      new ListTodosQuery({ userId: request.user_id, status: request.status, limit: request.limit, offset: request.offset }),
    );
  }
}
