import { BadRequestException } from '@nestjs/common';

/** What a correlation id (an X-Request-Id) may look like in a path. */
export const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,255}$/;

export const CORRELATION_ID_PARAM = {
  name: 'correlationId',
  description: 'The X-Request-Id of the request that started the flow.',
  schema: { type: 'string' as const, pattern: CORRELATION_ID.source, example: 'checkout-42' },
};

/** The path's correlation id, or a 400 naming it. */
export function requireCorrelationId(value: string): string {
  if (!CORRELATION_ID.test(value)) {
    throw new BadRequestException({
      code: 'VALIDATION_FAILED',
      message: 'correlationId must be a request id',
      errors: [{ field: 'correlationId', messages: ['correlationId must be a request id'] }],
    });
  }
  return value;
}
