import { BadRequestException, Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { StoredEvent } from '@todo/event-store';
import { GetCorrelationQuery } from './get-correlation.query';

export interface CorrelationTimeline {
  correlation_id: string;
  /** In commit order; `caused_by` is the causation id: a request id, or the event_id of an earlier event. */
  events: (StoredEvent & { caused_by: string; caused_by_event: boolean })[];
}

@ApiTags('events')
@Controller('correlations')
export class GetCorrelationHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Every event of one business flow, in order, with what caused each — no tracing backend needed. */
  @Get(':correlationId')
  @ApiOkResponse({ description: '{ correlation_id, events: [{ position, version, event, caused_by, caused_by_event }] }' })
  @ApiNotFoundResponse({ description: 'No event carries this correlation id' })
  async get(@Param('correlationId') correlationId: string): Promise<CorrelationTimeline> {
    if (!/^[A-Za-z0-9._:-]{1,255}$/.test(correlationId)) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: 'correlationId must be a request id',
        errors: [{ field: 'correlationId', messages: ['correlationId must be a request id'] }],
      });
    }
    const events: StoredEvent[] = await this.queryBus.execute(new GetCorrelationQuery(correlationId));
    if (events.length === 0) {
      throw new NotFoundException({ code: 'CORRELATION.NOT_FOUND', message: `no event carries correlation id ${correlationId}` });
    }
    const ids = new Set(events.map((e) => e.event.event_id));
    return {
      correlation_id: correlationId,
      events: events.map((e) => ({ ...e, caused_by: e.event.causation_id, caused_by_event: ids.has(e.event.causation_id) })),
    };
  }
}
