import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { isDatabaseUnavailable, postgresErrorCode } from '@todo/database';
import { Correlation, Logger } from '@todo/observability';
import { ErrorBody } from './error-body';

/** Error codes of a service's domain and application errors, mapped to HTTP statuses. */
export type StatusByCode = Readonly<Record<string, number>>;

/** PostgreSQL refusing a value the validation let through (a NUL byte, an out-of-range number): bad input. */
const BAD_VALUE = new Set(['22P05', '22021', '22003', '22P02', '22001']);

/**
 * Turns every error into JSON with a stable code and the request's correlation id.
 * Errors whose `code` the service maps get that status; bad input is 4xx; a database
 * outage is 503 with Retry-After; only a genuine fault is a 500.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly statusByCode: StatusByCode = {},
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    body.correlation_id = Correlation.current()?.correlationId;
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', '1');
    if (body.statusCode === HttpStatus.UNAUTHORIZED) response.setHeader('WWW-Authenticate', 'Bearer');
    this.log(exception, body);
    response.status(body.statusCode).json(body);
  }

  /**
   * A 503 is a dependency away — the service still starting, the database restarting, the
   * service shutting down — which the caller retries: a warning naming what is down, without
   * a stack (it would only show this filter). Only a genuine fault is an error with its stack.
   */
  private log(exception: unknown, body: ErrorBody): void {
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) {
      const down = (body.details as { error?: Record<string, unknown> } | undefined)?.error;
      this.logger.warn(
        { status: body.statusCode, code: body.code, reason: body.message, ...(down ? { down } : {}) },
        'Request answered 503',
      );
    } else if (body.statusCode >= 500) {
      this.logger.error({ err: exception }, 'Request failed');
    }
  }

  private toBody(exception: unknown): ErrorBody {
    const code = codeOf(exception);
    if (code !== undefined && this.statusByCode[code] !== undefined) {
      return { statusCode: this.statusByCode[code], code, message: (exception as Error).message };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null && 'code' in payload) {
        return { statusCode, ...(payload as Omit<ErrorBody, 'statusCode'>) };
      }
      const message = typeof payload === 'string' ? payload : String((payload as { message?: unknown }).message ?? exception.message);
      // A structured answer (a health report, say) stays available under `details`.
      const details = typeof payload === 'object' && payload !== null && !('message' in payload) ? payload : undefined;
      return { statusCode, code: httpCode(statusCode), message, ...(details ? { details } : {}) };
    }
    if (isDatabaseUnavailable(exception)) {
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        code: 'SERVICE_UNAVAILABLE',
        message: 'the database is unavailable; retry shortly',
      };
    }
    const database = postgresErrorCode(exception);
    if (database !== undefined && BAD_VALUE.has(database)) {
      return {
        statusCode: HttpStatus.BAD_REQUEST,
        code: 'INVALID_VALUE',
        message: 'a value is not acceptable: out of range or contains a NUL character',
      };
    }
    // body-parser's errors (malformed JSON, too large) arrive as plain errors with a status.
    const status = (exception as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, code: httpCode(status), message: (exception as Error).message };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL', message: 'internal error' };
  }
}

function codeOf(exception: unknown): string | undefined {
  const code = (exception as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

function httpCode(status: number): string {
  return (HttpStatus[status] ?? 'ERROR').toString();
}
