import { AuthenticatedUser, CurrentUser, isAdmin } from '@todo/auth';
import { Controller, Get, HttpStatus, NotFoundException, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { StoredEvent } from '@todo/event-store';
import { ApiError, ApiErrorResponses, CORRELATION_ID_PARAM, HTTP_API_ERRORS, requireCorrelationId } from '@todo/http-api';
import type { Type } from '@nestjs/common';
import { GetCorrelationQuery } from './get-correlation.query';

const CORRELATION_NOT_FOUND: ApiError = {
  status: HttpStatus.NOT_FOUND,
  code: 'CORRELATION.NOT_FOUND',
  description: 'no event of the caller carries this correlation id',
};

/** GET /correlations/:id, documenting its events with `eventModel`. */
export function getCorrelationController(eventModel: new () => object): Type {
  class CorrelatedEventResponse extends (eventModel as new () => { event: object }) {
    @ApiProperty({ description: "The event's causation_id: a request id, or the event_id of an earlier event." })
    caused_by: string;

    @ApiProperty({ description: 'Whether `caused_by` is the event_id of an earlier event of this flow.' })
    caused_by_event: boolean;
  }

  class CorrelationTimeline {
    @ApiProperty() correlation_id: string;

    @ApiProperty({ type: [CorrelatedEventResponse], description: 'In commit order.' })
    events: (StoredEvent & { caused_by: string; caused_by_event: boolean })[];
  }

  @ApiTags('events')
  @Controller('correlations')
  class GetCorrelationHttpController {
    constructor(private readonly queryBus: QueryBus) {}

    @Get(':correlationId')
    @ApiOperation({
      summary: 'Follow one business flow',
      description:
        'Every event one request caused, directly or through the consumers, in commit order, with what caused each ' +
        "(the caller's own events; every event for an admin): " +
        'the story of a flow without a tracing backend.',
    })
    @ApiParam(CORRELATION_ID_PARAM)
    @ApiOkResponse({ type: CorrelationTimeline, description: 'The events of the flow.' })
    @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED, CORRELATION_NOT_FOUND)
    async get(@Param('correlationId') correlationId: string, @CurrentUser() user: AuthenticatedUser): Promise<CorrelationTimeline> {
      requireCorrelationId(correlationId);
      const events: StoredEvent[] = await this.queryBus.execute(
        new GetCorrelationQuery(correlationId, isAdmin(user) ? undefined : user.id),
      );
      if (events.length === 0) {
        throw new NotFoundException({ code: CORRELATION_NOT_FOUND.code, message: `no event carries correlation id ${correlationId}` });
      }
      const ids = new Set(events.map((e) => e.event.event_id));
      return {
        correlation_id: correlationId,
        events: events.map((e) => ({ ...e, caused_by: e.event.causation_id, caused_by_event: ids.has(e.event.causation_id) })),
      };
    }
  }
  return GetCorrelationHttpController;
}
