import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { TOKEN_RATE_LIMITED } from './access.decorators';
import { AccessTokens } from './access-tokens';
import { BearerAuthGuard } from './bearer-auth.guard';
import { RateLimitGuard, TOKEN_LIMIT, WRITES_LIMIT, isRead } from './rate-limit.guard';

export interface AuthOptions {
  /** The HS256 key every service shares: the issuer signs with it, every service verifies with it. */
  secret: string;
  issuer: string;
  audience: string;
  tokenLifetimeSeconds: number;
  /** Writes one caller may send per minute. */
  writesPerMinute: number;
  /** Token requests one client address may send per minute. */
  tokenRequestsPerMinute: number;
}

const MINUTE_MS = 60_000;

/**
 * Authentication and rate limits for every route of a service: the bearer guard first
 * (so the limit can count per user), then the limits.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    const reflector = new Reflector();
    const limitsTokens = (context: Parameters<typeof isRead>[0]) =>
      reflector.getAllAndOverride<boolean>(TOKEN_RATE_LIMITED, [context.getHandler(), context.getClass()]) === true;
    return {
      module: AuthModule,
      global: true,
      imports: [
        JwtModule.register({
          secret: options.secret,
          signOptions: { algorithm: 'HS256', issuer: options.issuer, audience: options.audience },
          verifyOptions: { algorithms: ['HS256'], issuer: options.issuer, audience: options.audience },
        }),
        ThrottlerModule.forRoot({
          throttlers: [
            { name: WRITES_LIMIT, ttl: MINUTE_MS, limit: options.writesPerMinute, skipIf: (c) => isRead(c) || limitsTokens(c) },
            { name: TOKEN_LIMIT, ttl: MINUTE_MS, limit: options.tokenRequestsPerMinute, skipIf: (c) => !limitsTokens(c) },
          ],
        }),
      ],
      providers: [
        {
          provide: AccessTokens,
          inject: [JwtService],
          useFactory: (jwt: JwtService) => new AccessTokens(jwt, options.tokenLifetimeSeconds),
        },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
      exports: [AccessTokens],
    };
  }
}
