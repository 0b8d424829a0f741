import { Controller, Get, Headers, HttpStatus, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags, OmitType } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, isAdmin } from '@todo/auth';
import { ApiError, ApiErrorResponses, CORRELATION_ID_PARAM, HTTP_API_ERRORS, requireCorrelationId } from '@todo/http-api';
import { JourneyStepResponse } from '@todo/service';
import { Journey, JourneyEntry, JourneyReader, JourneySource } from './journey.reader';

const JOURNEY_NOT_FOUND: ApiError = {
  status: HttpStatus.NOT_FOUND,
  code: 'JOURNEY.NOT_FOUND',
  description: 'no service recorded a step of the caller for this correlation id (yet)',
};

class JourneyEntryResponse extends OmitType(JourneyStepResponse, ['kind', 'outcome'] as const) {
  @ApiProperty({
    enum: ['http', 'command', 'append', 'publish', 'message', 'mail'],
    description:
      'A write request answered, a command run, an event appended to the store, its publish by the outbox relay, ' +
      'one attempt at handling a message, or a mail sent.',
  })
  kind: JourneyEntry['kind'];

  @ApiProperty({
    example: 'processed',
    description:
      'An HTTP status; ok or rejected for a command; appended for an event; published or waiting for a publish; ' +
      'processed, duplicate, retry, parked, dead_lettered or requeued for a message; sent or failed for a mail.',
  })
  outcome: string;
}

class JourneySourceResponse implements JourneySource {
  @ApiProperty({ example: 'http://127.0.0.1:8082', description: 'The service asked (`self` for todo-service).' })
  url: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Steps it answered with.' })
  steps?: number;

  @ApiPropertyOptional({ example: 'connect ECONNREFUSED 127.0.0.1:8082', description: 'Why it could not be asked.' })
  error?: string;
}

class JourneyResponse implements Journey {
  @ApiProperty() correlation_id: string;

  @ApiProperty({ type: [JourneyEntryResponse], description: 'Every step, oldest first.' })
  steps: JourneyEntryResponse[];

  @ApiProperty({ type: [JourneySourceResponse], description: 'Each service asked for its steps, and what it answered.' })
  sources: JourneySourceResponse[];
}

@ApiTags('journeys')
@Controller('journeys')
export class JourneyHttpController {
  constructor(private readonly reader: JourneyReader) {}

  @Get(':correlationId')
  @ApiOperation({
    summary: 'Follow one request through every service',
    description:
      'The whole journey of one correlation id, gathered from every service: the write request, the command, the ' +
      "events appended and published, each consumer's attempts (retries and dead letters included) and the mails, " +
      "with durations and trace ids. The caller's own steps; every step for an admin. The page `/journey/{correlationId}` " +
      'shows it live.',
  })
  @ApiParam(CORRELATION_ID_PARAM)
  @ApiOkResponse({ type: JourneyResponse })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED, JOURNEY_NOT_FOUND)
  async get(
    @Param('correlationId') correlationId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<JourneyResponse> {
    requireCorrelationId(correlationId);
    const journey = await this.reader.read(correlationId, isAdmin(user) ? undefined : user.id, authorization);
    if (journey.steps.length === 0) {
      throw new NotFoundException({ code: JOURNEY_NOT_FOUND.code, message: `no step carries correlation id ${correlationId} yet` });
    }
    return journey as JourneyResponse;
  }
}
