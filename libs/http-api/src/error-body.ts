import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One invalid input and every rule it broke. */
export class FieldError {
  @ApiProperty({ description: 'The body field, query or path parameter, or header at fault.', example: 'title' })
  field: string;

  @ApiProperty({ type: [String], description: 'One sentence per broken rule.', example: ['title must be a string'] })
  messages: string[];
}

/** What every error answer of the platform looks like, whatever its status. */
export class ErrorBody {
  @ApiProperty({ type: 'integer', description: 'The HTTP status, repeated.', example: 404 })
  statusCode: number;

  @ApiProperty({ description: 'Stable code to switch on; each response lists the ones it can carry.', example: 'TODO.NOT_FOUND' })
  code: string;

  @ApiProperty({ description: 'For people: its wording may change.', example: 'todo 42 does not exist' })
  message: string;

  @ApiPropertyOptional({ type: [FieldError], description: 'With VALIDATION_FAILED: every invalid input and what is wrong with it.' })
  errors?: FieldError[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'A structured report behind the error, such as the health report of a failed readiness check.',
  })
  details?: unknown;

  @ApiProperty({
    description: "The request's X-Request-Id; every event the request caused carries it as correlation_id.",
    example: 'b7c1c1c4-2f0a-4c53-9d7e-0f6a4c1f9a10',
  })
  correlation_id?: string;
}
