import { HttpStatus } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { StatusByCode } from './http-error.filter';

/** One error an operation can answer with: its status, its stable code, and when a client gets it. */
export interface ApiError {
  status: number;
  code: string;
  description: string;
}

/** Where ApiErrorResponses leaves an operation's errors for the document to turn into responses. */
export const API_ERRORS_EXTENSION = 'x-api-errors';

/**
 * Documents the errors an operation can answer with, each with its stable code. The
 * document (configureHttpApi) adds the ones every route shares, then gives each status
 * one response with the error body, its codes as an enum and a line per code.
 * Apply it once per operation, listing all of them: of two, one would be lost.
 */
export const ApiErrorResponses = (...errors: ApiError[]): MethodDecorator => ApiExtension(API_ERRORS_EXTENSION, errors);

/** Errors of the shared HTTP edge: validation, the error filter and the body parser. */
export const HTTP_API_ERRORS = {
  VALIDATION_FAILED: {
    status: HttpStatus.BAD_REQUEST,
    code: 'VALIDATION_FAILED',
    description: 'a body field, query or path parameter, or header breaks its rule (unknown fields too); `errors` names each one',
  },
  INVALID_VALUE: {
    status: HttpStatus.BAD_REQUEST,
    code: 'INVALID_VALUE',
    description: 'the database refused a value the validation let through (out of range, or a NUL character)',
  },
  BAD_REQUEST: { status: HttpStatus.BAD_REQUEST, code: 'BAD_REQUEST', description: 'the request has a JSON body that does not parse' },
  PAYLOAD_TOO_LARGE: {
    status: HttpStatus.PAYLOAD_TOO_LARGE,
    code: 'PAYLOAD_TOO_LARGE',
    description: 'the body is over HTTP_BODY_LIMIT_KB (100 kB unless configured)',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    description: 'the body has a charset outside UTF (utf-8, utf-16, ...) or a Content-Encoding other than gzip, deflate or br',
  },
  SERVICE_UNAVAILABLE: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    code: 'SERVICE_UNAVAILABLE',
    description: 'the database is unavailable; retry after Retry-After seconds',
  },
} as const satisfies Record<string, ApiError>;

/**
 * A service's own error codes described for its documents. Each status is taken from
 * the service's StatusByCode, so the documents cannot disagree with what the filter sends.
 * @throws Error at start-up for a code the StatusByCode does not map.
 */
export function describeErrors<TCode extends string>(
  statusByCode: StatusByCode,
  descriptions: Record<TCode, string>,
): Record<TCode, ApiError> {
  const described = {} as Record<TCode, ApiError>;
  for (const code of Object.keys(descriptions) as TCode[]) {
    const status = statusByCode[code];
    if (status === undefined) throw new Error(`error code ${code} has no HTTP status`);
    described[code] = { status, code, description: descriptions[code] };
  }
  return described;
}
