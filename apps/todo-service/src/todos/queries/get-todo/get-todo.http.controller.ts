import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PositiveIntPipe } from '@todo/http-api';
import { TodoView } from '../todo.view';
import { GetTodoQuery } from './get-todo.query';

@ApiTags('todos')
@Controller('todos')
export class GetTodoHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @ApiOkResponse({ type: TodoView })
  @ApiNotFoundResponse({ description: 'TODO.NOT_FOUND' })
  get(@Param('id', new PositiveIntPipe('id')) id: number): Promise<TodoView> {
    return this.queryBus.execute(new GetTodoQuery(id));
  }
}
