import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOURNEY_STEP_KINDS, RecordedJourneyStep } from '@todo/event-store';

/** One step a service took for a flow, as GET /journeys/:id/steps and GET /journeys/:id show it. */
export class JourneyStepResponse implements RecordedJourneyStep {
  @ApiProperty({ example: 'notification-service', description: 'The service that took the step.' })
  service: string;

  @ApiProperty({
    enum: JOURNEY_STEP_KINDS,
    description: 'A write request answered, a command run, one attempt at handling a message, or a mail sent.',
  })
  kind: RecordedJourneyStep['kind'];

  @ApiProperty({ example: 'notification-service', description: 'The route, the command, the consuming queue, or the recipient.' })
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: 'The message handled or mailed about.' })
  message_id: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'todo.created' })
  message_type: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, description: 'Which delivery (or send) of the message this was.' })
  attempt: number | null;

  @ApiProperty({
    example: 'processed',
    description:
      'An HTTP status; ok or rejected for a command; processed, duplicate, retry, parked, dead_lettered or requeued (the move to a retry or dead-letter queue failed) for a message; sent or failed for a mail.',
  })
  outcome: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why it failed, or what it produced (a mail subject).' })
  detail: string | null;

  @ApiProperty({ format: 'date-time' })
  started_at: string;

  @ApiProperty({ minimum: 0, example: 3.2 })
  duration_ms: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    pattern: '^[0-9a-f]{32}$',
    description: 'The OpenTelemetry trace, when tracing is on.',
  })
  trace_id: string | null;
}
