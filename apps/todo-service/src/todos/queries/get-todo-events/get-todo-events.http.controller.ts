import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PositiveIntPipe } from '@todo/http-api';
import { GetTodoEventsQuery, TodoStreamEntry } from './get-todo-events.query';

@ApiTags('todos')
@Controller('todos')
export class GetTodoEventsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id/events')
  @ApiOkResponse({ description: "The todo's events in stream order, each as it travels on the wire." })
  @ApiNotFoundResponse({ description: 'TODO.NOT_FOUND' })
  events(@Param('id', new PositiveIntPipe('id')) id: number): Promise<TodoStreamEntry[]> {
    return this.queryBus.execute(new GetTodoEventsQuery(id));
  }
}
