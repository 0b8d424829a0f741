import { ExecutionContext, SetMetadata, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthenticatedUser, Role } from './authenticated-user';

export const PUBLIC_ROUTE = 'todo:public-route';
export const REQUIRED_ROLE = 'todo:required-role';
export const TOKEN_RATE_LIMITED = 'todo:token-rate-limited';

/** Where the decorators leave what the OpenAPI document needs: no bearer scheme on a public route, a 403 on a role's. */
export const PUBLIC_EXTENSION = 'x-public';
export const ROLE_EXTENSION = 'x-required-role';

/** A route anyone may call without a token: health, metrics, registration, the token exchange. */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension(PUBLIC_EXTENSION, true));

/** A route only a caller whose token carries `role` may use; others get 403. */
export const RequireRole = (role: Role): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_ROLE, role), ApiExtension(ROLE_EXTENSION, role));

/** Counts the route against the credential-guessing limit (per client address) instead of the write limit. */
export const TokenRateLimited = (): MethodDecorator => SetMetadata(TOKEN_RATE_LIMITED, true);

/** The caller the guard verified. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser => {
  const user = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>().user;
  // The guard runs before every non-public route, so only a public route could get here without one.
  if (!user) throw new Error('CurrentUser used on a route without authentication');
  return user;
});
