import { JwtService } from '@nestjs/jwt';
import { AccessTokens, AuthenticatedUser } from '@todo/auth';
import request from 'supertest';

/** The signing key every service of a test platform is given. */
export const TEST_JWT_SECRET = 'test-suite-signing-key-0123456789abcdef';
export const TEST_JWT_ISSUER = 'todo-platform';
export const DEMO_EMAIL = 'demo@example.com';
export const DEMO_PASSWORD = 'demo-password-for-tests';
export const ADMIN_EMAIL = 'admin@example.com';

/** The environment that makes a service trust the test tokens, with limits no test load reaches. */
export const TEST_AUTH_ENV: Record<string, string> = {
  JWT_SECRET: TEST_JWT_SECRET,
  RATE_LIMIT_WRITES_PER_MINUTE: '100000000',
  RATE_LIMIT_TOKENS_PER_MINUTE: '100000000',
};

/** Signs a token as todo-service would, with the test key (or another, to be refused). */
export function mintToken(user: AuthenticatedUser, { lifetimeSeconds = 3_600, secret = TEST_JWT_SECRET } = {}): string {
  const jwt = new JwtService({
    secret,
    signOptions: { algorithm: 'HS256', issuer: TEST_JWT_ISSUER, audience: TEST_JWT_ISSUER },
  });
  return new AccessTokens(jwt, lifetimeSeconds).issue(user).access_token;
}

/** The demo user (id 1, registered at start by every test platform). */
export const DEMO_TOKEN = mintToken({ id: 1, email: DEMO_EMAIL, roles: [] });
/** An operator: the admin role, owning nothing. */
export const ADMIN_TOKEN = mintToken({ id: 2_000_000_000, email: ADMIN_EMAIL, roles: ['admin'] });

/** A supertest agent that sends `token` as the bearer on every request. */
export function api(server: Parameters<typeof request>[0], token = DEMO_TOKEN) {
  return request.agent(server).set('Authorization', `Bearer ${token}`);
}
