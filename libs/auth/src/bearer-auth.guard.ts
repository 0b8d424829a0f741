import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from './access.decorators';
import { AccessTokens, InvalidTokenError } from './access-tokens';
import { AuthenticatedUser, Role } from './authenticated-user';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/**
 * Global: every route needs a valid bearer token unless marked @Public(); a route marked
 * @RequireRole needs the role too. The verified caller is left on the request for
 * @CurrentUser, so no handler ever takes a user id from the body.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    const header = request.headers.authorization;
    if (header === undefined) {
      throw new UnauthorizedException({
        code: 'AUTH.TOKEN_MISSING',
        message: 'this route needs a bearer token: Authorization: Bearer <access_token from POST /auth/token>',
      });
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new UnauthorizedException({ code: 'AUTH.TOKEN_INVALID', message: 'the Authorization header is not "Bearer <JWT>"' });
    try {
      request.user = this.tokens.verify(token);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      throw new UnauthorizedException({ code: error.expired ? 'AUTH.TOKEN_EXPIRED' : 'AUTH.TOKEN_INVALID', message: error.message });
    }
    const role = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    if (role && !request.user.roles.includes(role)) {
      throw new ForbiddenException({ code: 'AUTH.FORBIDDEN', message: `this route needs the ${role} role` });
    }
    return true;
  }
}
