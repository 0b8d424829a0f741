import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { ApiErrorResponses, ApiPositiveIntParam, HTTP_API_ERRORS, PositiveIntPipe, etagHeader, etagOf } from '@todo/http-api';
import type { Response } from 'express';
import { TODO_SERVICE_ERRORS } from '../../../infrastructure/http/todo-service.api-errors';
import { TodoView } from '../todo.view';
import { GetTodoQuery } from './get-todo.query';
import { GetTodoRequest } from './get-todo.request';

@ApiTags('todos')
@Controller('todos')
export class GetTodoHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @ApiOperation({
    summary: 'Get a todo',
    description:
      'Reads the todo view, which follows the commands by milliseconds. With `min_version` (the version a command answered), ' +
      'waits until the view has caught up with it: read-your-own-writes.',
  })
  @ApiPositiveIntParam('id', 'The todo.')
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag of the version the client holds: answered 304 without a body while the view is still at it.',
    schema: { type: 'string', example: '"3"' },
  })
  @ApiOkResponse({ type: TodoView, description: 'The todo view.', headers: { ETag: etagHeader('todo') } })
  @ApiResponse({
    status: 304,
    description: 'Not modified: the view is at the version If-None-Match names.',
    headers: { ETag: etagHeader('todo') },
  })
  @ApiErrorResponses(
    HTTP_API_ERRORS.VALIDATION_FAILED,
    { ...TODO_SERVICE_ERRORS['TODO.NOT_FOUND'], description: 'no todo has this id, or it is deleted' },
    TODO_SERVICE_ERRORS['TODO.VIEW_BEHIND'],
  )
  async get(
    @Param('id', new PositiveIntPipe('id')) id: number,
    @Query() request: GetTodoRequest,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TodoView> {
    const view = await this.queryBus.execute(new GetTodoQuery(id, user.id, request.min_version));
    response.setHeader('ETag', etagOf(view.version));
    return view;
  }
}
