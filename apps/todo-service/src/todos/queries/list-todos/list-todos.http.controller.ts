import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { ApiErrorResponses, HTTP_API_ERRORS } from '@todo/http-api';
import { TodoView } from '../todo.view';
import { ListTodosQuery } from './list-todos.query';
import { ListTodosRequest } from './list-todos.request';

@ApiTags('todos')
@Controller('todos')
export class ListTodosHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'List todos',
    description: 'Pages through the todo views by id, deleted todos left out; filter by owner and status.',
  })
  @ApiOkResponse({ type: [TodoView], description: 'A page of todos in id order.' })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED)
  list(@Query() request: ListTodosRequest, @CurrentUser() user: AuthenticatedUser): Promise<TodoView[]> {
    return this.queryBus.execute(
      new ListTodosQuery({ userId: user.id, status: request.status, limit: request.limit, offset: request.offset }),
    );
  }
}
