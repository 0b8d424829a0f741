import { QueryFailedError } from 'typeorm';

const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);

/**
 * The PostgreSQL error code of an error, read directly or through TypeORM's wrapper;
 * a dropped connection ("Connection terminated") counts as 08006.
 */
export function postgresErrorCode(error: unknown): string | undefined {
  for (const e of [error, (error as { driverError?: unknown })?.driverError]) {
    if (typeof e !== 'object' || e === null) continue;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') return code;
    if (typeof message === 'string' && /Connection terminated|Connection ended|timeout exceeded when trying to connect/i.test(message)) {
      return '08006';
    }
  }
  return undefined;
}

/** TypeORM's word for "the connection under this transaction died". */
const LOST_CONNECTION = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError', 'ConnectionIsNotSetError']);

/** The database is restarting, unreachable or out of connections: worth waiting for, not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Error && LOST_CONNECTION.has(error.name)) return true;
  const code = postgresErrorCode(error);
  return code !== undefined && UNAVAILABLE.has(code);
}

/** A unique constraint refused the write (`constraint` narrows it to one constraint). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}
