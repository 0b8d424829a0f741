import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AuthenticatedUser } from './authenticated-user';

/** The two limits: writes per caller, and token requests per client address (guessing passwords). */
export const WRITES_LIMIT = 'writes';
export const TOKEN_LIMIT = 'token';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * @nestjs/throttler's guard, answering in the platform's error shape: 429 with
 * `RATE_LIMITED` and a plain `Retry-After` in seconds, whichever limit was hit. A caller
 * is tracked by user id once authenticated, by address before (registration, tokens).
 * Counts are kept per instance.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const user = (req as unknown as Request & { user?: AuthenticatedUser }).user;
    return user ? `user:${user.id}` : `ip:${(req as unknown as Request).ip ?? 'unknown'}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, limit: string): string {
    // One budget per caller across routes, not one per route.
    return `${limit}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new HttpException(
      { code: 'RATE_LIMITED', message: `too many requests: at most ${detail.limit} in ${detail.ttl / 1000} s; retry after ${seconds} s` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

export function isRead(context: ExecutionContext): boolean {
  return READS.has(context.switchToHttp().getRequest<Request>().method);
}
