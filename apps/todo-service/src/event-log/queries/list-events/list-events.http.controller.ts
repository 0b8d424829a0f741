import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { StoredEvent } from '@todo/event-store';
import { ListEventsQuery } from './list-events.query';
import { ListEventsRequest } from './list-events.request';

export interface EventPage {
  events: StoredEvent[];
  /** Pass as `after` for the next page; equal to the request's `after` when nothing is new. */
  next_after: number;
}

@ApiTags('events')
@Controller('events')
export class ListEventsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** The global event stream in commit order, for debugging and for catching up a new consumer. */
  @Get()
  @ApiOkResponse({ description: 'A page of events in commit order: { events: [{ position, version, event }], next_after }' })
  async list(@Query() request: ListEventsRequest): Promise<EventPage> {
    const events: StoredEvent[] = await this.queryBus.execute(new ListEventsQuery(request.after, request.limit, request.type));
    return { events, next_after: events.length > 0 ? events[events.length - 1].position : request.after };
  }
}
