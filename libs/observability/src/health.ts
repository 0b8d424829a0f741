import { Controller, DynamicModule, Get, Inject, Module, ServiceUnavailableException, Type } from '@nestjs/common';

/** A dependency the service cannot serve without (database, broker). */
export abstract class ReadinessCheck {
  abstract readonly name: string;
  /** Resolves when the dependency is usable; rejects with the reason otherwise. */
  abstract check(): Promise<void>;
}

const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Controller('health')
class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Every dependency is reachable; 503 naming the failing ones otherwise. */
  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, string> }> {
    const results = await Promise.all(
      this.checks.map(async (c) => {
        try {
          await c.check();
          return [c.name, 'up'] as const;
        } catch (error) {
          return [c.name, `down: ${error instanceof Error ? error.message : String(error)}`] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    if (results.some(([, state]) => state !== 'up')) {
      throw new ServiceUnavailableException({ code: 'NOT_READY', message: 'a dependency is unavailable', checks });
    }
    return { status: 'ok', checks };
  }
}

@Module({})
export class HealthModule {
  static forRoot(checks: Type<ReadinessCheck>[]): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [...checks, { provide: READINESS_CHECKS, inject: checks, useFactory: (...all: ReadinessCheck[]) => all }],
    };
  }
}
