import { AuthenticatedUser, CurrentUser, isAdmin } from '@todo/auth';
import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { StoredEvent } from '@todo/event-store';
import { ApiErrorResponses, HTTP_API_ERRORS } from '@todo/http-api';
import type { Type } from '@nestjs/common';
import { ListEventsQuery } from './list-events.query';
import { ListEventsRequest } from './list-events.request';

/** GET /events, documenting its events with `eventModel`. */
export function listEventsController(eventModel: new () => object): Type {
  class EventPageResponse {
    @ApiProperty({ type: [eventModel], description: 'In commit order.' })
    events: StoredEvent[];

    @ApiProperty({
      type: 'integer',
      minimum: 0,
      description: "Pass as `after` for the next page; equal to the request's `after` when nothing is new.",
    })
    next_after: number;

    @ApiProperty({
      type: 'integer',
      minimum: 0,
      description: 'Global position of the latest committed event when the page was read: how far a reader is from the end.',
    })
    head_position: number;
  }

  @ApiTags('events')
  @Controller('events')
  class ListEventsHttpController {
    constructor(private readonly queryBus: QueryBus) {}

    @Get()
    @ApiOperation({
      summary: 'Page through all events',
      description:
        "The global event stream in commit order (the caller's own events; every event for an admin), for debugging and for catching up a new consumer (the other services rebuild " +
        'their read models from it). A page never shows an event before one that committed earlier, so remembering `next_after` misses nothing.',
    })
    @ApiOkResponse({ type: EventPageResponse, description: 'A page of events after `after`.' })
    @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED)
    async list(@Query() request: ListEventsRequest, @CurrentUser() user: AuthenticatedUser): Promise<EventPageResponse> {
      const { events, head } = await this.queryBus.execute(
        new ListEventsQuery(request.after, request.limit, request.type, isAdmin(user) ? undefined : user.id),
      );
      return { events, next_after: events.length > 0 ? events[events.length - 1].position : request.after, head_position: head };
    }
  }
  return ListEventsHttpController;
}
