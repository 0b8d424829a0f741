import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { TODO_EVENT_TYPES, TodoEvent } from '@todo/events';
import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { ApiErrorResponses, ApiPositiveIntParam, HTTP_API_ERRORS, PositiveIntPipe, eventsOneOf } from '@todo/http-api';
import { TODO_SERVICE_ERRORS } from '../../../infrastructure/http/todo-service.api-errors';
import { GetTodoEventsQuery, TodoStreamEntry } from './get-todo-events.query';

class TodoStreamEntryResponse implements TodoStreamEntry {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Global position: commit order across all streams, from 1.' })
  position: number;

  @ApiProperty({ type: 'integer', minimum: 1, description: "Position in the todo's stream, from 1 (the event's aggregate_version)." })
  version: number;

  @ApiProperty({ ...eventsOneOf(TODO_EVENT_TYPES), description: 'The event as it travels on the wire.' })
  event: TodoEvent;
}

@ApiTags('todos')
@Controller('todos')
export class GetTodoEventsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id/events')
  @ApiOperation({
    summary: 'The events of a todo',
    description: "The todo's whole stream from the event store, deleted todos included: the history its state is folded from.",
  })
  @ApiPositiveIntParam('id', 'The todo.')
  @ApiOkResponse({ type: [TodoStreamEntryResponse], description: "The todo's events in stream order." })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED, TODO_SERVICE_ERRORS['TODO.NOT_FOUND'])
  events(@Param('id', new PositiveIntPipe('id')) id: number, @CurrentUser() user: AuthenticatedUser): Promise<TodoStreamEntry[]> {
    return this.queryBus.execute(new GetTodoEventsQuery(id, user.id));
  }
}
