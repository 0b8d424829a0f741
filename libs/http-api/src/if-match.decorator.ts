import { BadRequestException, ExecutionContext, PreconditionFailedException, createParamDecorator } from '@nestjs/common';
import { ApiHeader, HeaderObject } from '@nestjs/swagger';
import type { Request } from 'express';

/**
 * The version a write is conditional on, from `If-Match: "3"` (the ETag a read gave).
 * Absent or `*`: unconditional. `@IfMatch('TODO.VERSION_MISMATCH')`: the code a weak tag is refused with.
 */
export const IfMatch = createParamDecorator((mismatchCode: string, context: ExecutionContext): number | undefined => {
  const header = context.switchToHttp().getRequest<Request>().header('if-match');
  if (header === undefined || header.trim() === '*') return undefined;
  if (/^\s*W\//.test(header)) {
    // If-Match compares strongly (RFC 9110): a weak tag never matches.
    throw new PreconditionFailedException({
      code: mismatchCode,
      message: 'If-Match needs a strong ETag like "3"; a weak one never matches',
    });
  }
  const match = /^\s*(?:"(\d{1,10})"|(\d{1,10}))\s*$/.exec(header);
  if (!match) {
    throw new BadRequestException({
      code: 'VALIDATION_FAILED',
      message: 'If-Match must be an ETag this API gave, like "3"',
      errors: [{ field: 'If-Match', messages: ['If-Match must be an ETag this API gave, like "3"'] }],
    });
  }
  return Number(match[1] ?? match[2]);
});

/** The ETag of an aggregate (a todo, an order) at a stream version. */
export const etagOf = (version: number): string => `"${version}"`;

/** Documents the If-Match an endpoint reads with @IfMatch(). */
export const ApiIfMatchHeader = (): MethodDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'Makes the change conditional on the version it was decided on: the ETag a read or the last change answered with. ' +
      'Absent or `*`: unconditional. A weak ETag (`W/"3"`) never matches.',
    schema: { type: 'string', example: '"3"' },
  });

/** The ETag response header: the version of `what` (a todo, an order), to send back as If-Match. */
export const etagHeader = (what: string): HeaderObject => ({
  description: `The ${what}'s version as a strong ETag; send it as If-Match to change exactly this version.`,
  schema: { type: 'string', example: '"3"' },
});
