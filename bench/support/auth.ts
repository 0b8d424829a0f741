/**
 * How the benchmarks call the platform's services as a client does: every service they
 * start trusts the test signing key and has its rate limits raised out of any benchmark's
 * reach (the default of 600 writes per user and minute would cap a run at 10 commands/s);
 * todo-service also registers the demo user (id 1) at start and knows the admin's address.
 * Each request then carries a bearer token the service verifies (HS256): a real cost,
 * which is in the figures. The hand-written baselines have no authentication.
 */
import { ADMIN_EMAIL, DEMO_EMAIL, DEMO_PASSWORD, TEST_AUTH_ENV, mintToken } from '../../test/support/auth';

/** Every platform service a benchmark starts: the test signing key, limits no load reaches. */
export const SERVICE_AUTH_ENV: Readonly<Record<string, string>> = TEST_AUTH_ENV;

/** todo-service's on top: the demo user registered at first start, and who is an admin. */
export const TODO_SERVICE_AUTH_ENV: Readonly<Record<string, string>> = {
  DEMO_USER_EMAIL: DEMO_EMAIL,
  DEMO_USER_PASSWORD: DEMO_PASSWORD,
  ADMIN_EMAILS: ADMIN_EMAIL,
};

export interface BenchTokens {
  /** The demo user (id 1): its own todos and orders. */
  demo: string;
  /** The admin role: PUT /inventory/:sku, GET /analytics/summary. */
  admin: string;
}

/**
 * Tokens minted now, valid for an hour: call it when a run starts (one run of a case takes
 * minutes, and the harness ends a case after 30), not once when a module loads: a long
 * `npm run bench` outlives a token minted then.
 */
export function benchTokens(): BenchTokens {
  return {
    demo: mintToken({ id: 1, email: DEMO_EMAIL, roles: [] }),
    admin: mintToken({ id: 2_000_000_000, email: ADMIN_EMAIL, roles: ['admin'] }),
  };
}

/** The header that carries `token`. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
