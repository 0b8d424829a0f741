import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { AuthenticatedUser, ROLES, Role } from './authenticated-user';

/** What POST /auth/token answers: an OAuth 2 style bearer token. */
export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export class InvalidTokenError extends Error {
  constructor(
    message: string,
    readonly expired = false,
  ) {
    super(message);
  }
}

interface Claims {
  sub?: unknown;
  email?: unknown;
  roles?: unknown;
}

/**
 * Signs and verifies the platform's access tokens: HS256 JWTs with the user's id as
 * `sub`, its address and roles, an issuer and audience every service checks, and an
 * expiry. Only HS256 is accepted on the way in, so `alg: none` or a token signed with
 * another algorithm is refused before its claims are read.
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly lifetimeSeconds: number,
  ) {}

  issue(user: AuthenticatedUser): IssuedToken {
    const access_token = this.jwt.sign(
      { email: user.email, roles: user.roles },
      { subject: String(user.id), expiresIn: this.lifetimeSeconds },
    );
    return { access_token, token_type: 'Bearer', expires_in: this.lifetimeSeconds };
  }

  verify(token: string): AuthenticatedUser {
    let claims: Claims;
    try {
      claims = this.jwt.verify<Claims>(token);
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new InvalidTokenError('the token has expired', true);
      throw new InvalidTokenError(`the token is not valid: ${(error as Error).message}`);
    }
    const id = typeof claims.sub === 'string' && /^[1-9][0-9]{0,9}$/.test(claims.sub) ? Number(claims.sub) : NaN;
    const roles = Array.isArray(claims.roles) ? claims.roles : [];
    if (!Number.isSafeInteger(id) || typeof claims.email !== 'string' || !roles.every((r) => ROLES.includes(r as Role))) {
      throw new InvalidTokenError('the token does not name a user');
    }
    return { id, email: claims.email, roles: roles as Role[] };
  }
}
