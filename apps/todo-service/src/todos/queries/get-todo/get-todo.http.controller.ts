import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { PositiveIntPipe } from '@todo/http-api';
import type { Response } from 'express';
import { etagOf } from '../../../infrastructure/http/if-match.decorator';
import { TodoView } from '../todo.view';
import { GetTodoQuery } from './get-todo.query';
import { GetTodoRequest } from './get-todo.request';

@ApiTags('todos')
@Controller('todos')
export class GetTodoHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @ApiOkResponse({ type: TodoView, description: 'The todo view; its ETag is its version.' })
  @ApiNotFoundResponse({ description: 'TODO.NOT_FOUND (also for a deleted todo)' })
  @ApiServiceUnavailableResponse({ description: 'TODO.VIEW_BEHIND: min_version not reached within 2 s' })
  async get(
    @Param('id', new PositiveIntPipe('id')) id: number,
    @Query() request: GetTodoRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TodoView> {
    const view = await this.queryBus.execute(new GetTodoQuery(id, request.min_version));
    response.setHeader('ETag', etagOf(view.version));
    return view;
  }
}
