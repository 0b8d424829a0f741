import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { ConcurrencyError } from '@todo/event-store';
import { Correlation, Logger } from '@todo/observability';
import { DomainError } from '../../shared-kernel/domain-error';

/** The one place where error codes become HTTP statuses. */
const STATUS_BY_CODE: Record<string, number> = {
  'TODO.NOT_FOUND': HttpStatus.NOT_FOUND,
  'TODO.ALREADY_EXISTS': HttpStatus.CONFLICT,
  'TODO.ALREADY_COMPLETED': HttpStatus.CONFLICT,
  'TODO.UNKNOWN_USER': HttpStatus.UNPROCESSABLE_ENTITY,
  'USER.ALREADY_EXISTS': HttpStatus.CONFLICT,
  'USER.EMAIL_TAKEN': HttpStatus.CONFLICT,
  'STREAM.CONCURRENT_WRITE': HttpStatus.CONFLICT,
};

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: unknown;
  correlation_id?: string;
}

/**
 * Turns every error into JSON with a stable code and the request's correlation id.
 * Broken business rules and bad input are 4xx; only a genuine fault is a 500.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    body.correlation_id = Correlation.current()?.correlationId;
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', '1');
    if (body.statusCode >= 500) this.logger.error({ err: exception }, 'Request failed');
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError || exception instanceof ConcurrencyError) {
      return { statusCode: STATUS_BY_CODE[exception.code] ?? HttpStatus.CONFLICT, code: exception.code, message: exception.message };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null && 'code' in payload) {
        return { statusCode, ...(payload as Omit<ErrorBody, 'statusCode'>) };
      }
      const message = typeof payload === 'string' ? payload : String((payload as { message?: unknown }).message ?? exception.message);
      return { statusCode, code: httpCode(statusCode), message };
    }
    if (isDatabaseUnavailable(exception)) {
      return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, code: 'SERVICE_UNAVAILABLE', message: 'the database is unavailable; retry shortly' };
    }
    // body-parser's errors (malformed JSON, too large) arrive as plain errors with a status.
    const status = (exception as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, code: httpCode(status), message: (exception as Error).message };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL', message: 'internal error' };
  }
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '08000', '08003', '08006']);

/** The database restarting or unreachable is the client's cue to retry, not a bug: 503. */
function isDatabaseUnavailable(exception: unknown): boolean {
  const candidates = [exception, (exception as { driverError?: unknown })?.driverError];
  return candidates.some((e) => {
    if (typeof e !== 'object' || e === null) return false;
    const { code, message } = e as { code?: unknown; message?: unknown };
    return (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || (typeof message === 'string' && /Connection terminated/i.test(message));
  });
}

function httpCode(status: number): string {
  return (HttpStatus[status] ?? 'ERROR').toString();
}
