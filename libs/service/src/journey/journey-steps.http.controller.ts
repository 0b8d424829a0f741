import { Controller, Get, Module, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, isAdmin } from '@todo/auth';
import { JourneyLog } from '@todo/event-store';
import { ApiErrorResponses, CORRELATION_ID_PARAM, HTTP_API_ERRORS, requireCorrelationId } from '@todo/http-api';
import { JourneyStepResponse } from './journey-step.response';

class JourneyStepsResponse {
  @ApiProperty() correlation_id: string;

  @ApiProperty({ type: [JourneyStepResponse], description: 'Oldest first; empty when this service took no step of the flow.' })
  steps: JourneyStepResponse[];
}

@ApiTags('journeys')
@Controller('journeys')
class JourneyStepsHttpController {
  constructor(private readonly journey: JourneyLog) {}

  @Get(':correlationId/steps')
  @ApiOperation({
    summary: "This service's part of one flow",
    description:
      'What this service did for one correlation id: write requests, commands, every attempt at a message (retries and ' +
      "dead letters included), mails; with durations and trace ids. The caller's own steps; every step for an admin.",
  })
  @ApiParam(CORRELATION_ID_PARAM)
  @ApiOkResponse({ type: JourneyStepsResponse })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED)
  async steps(@Param('correlationId') correlationId: string, @CurrentUser() user: AuthenticatedUser): Promise<JourneyStepsResponse> {
    requireCorrelationId(correlationId);
    return { correlation_id: correlationId, steps: await this.journey.read(correlationId, isAdmin(user) ? undefined : user.id) };
  }
}

/** GET /journeys/:correlationId/steps, on every service. */
@Module({ controllers: [JourneyStepsHttpController] })
export class JourneyStepsModule {}
