import { Public } from '@todo/auth';
import { Controller, DynamicModule, Get, Inject, Module, Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';

/** A dependency the service cannot serve without (database, broker and its topology). */
export abstract class ReadinessCheck {
  abstract readonly name: string;
  /** Resolves when the dependency is usable; rejects with the reason otherwise. */
  abstract check(): Promise<void>;
}

const READINESS_CHECKS = Symbol('READINESS_CHECKS');

class DependencyHealth {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiPropertyOptional({ description: 'Why it is down.', example: 'connection refused' }) message?: string;
}

const byDependency = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(DependencyHealth) },
  example: { postgres: { status: 'up' }, rabbitmq: { status: 'up' } },
} as const;

/** @nestjs/terminus's report: the dependencies that are up (`info`), down (`error`), and all of them (`details`). */
class HealthReport {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status: string;
  @ApiProperty({ ...byDependency, description: 'The dependencies that are up.' }) info: object;
  @ApiProperty({ ...byDependency, description: 'The dependencies that are down.', example: {} }) error: object;
  @ApiProperty({ ...byDependency, description: 'Every dependency checked.' }) details: object;
}

@ApiTags('health')
@ApiExtraModels(DependencyHealth)
@Public()
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness', description: 'Answers as long as the process runs and its event loop turns; checks no dependency.' })
  @ApiOkResponse({ type: HealthReport, description: 'Alive: `status` is `ok`, with no dependency listed.' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Every dependency is reachable; 503 naming the failing ones otherwise. */
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness',
    description: 'Checks every dependency the service cannot serve without (PostgreSQL; RabbitMQ and its topology).',
  })
  @ApiOkResponse({ type: HealthReport, description: 'Ready: every dependency is up.' })
  @ApiServiceUnavailableResponse({
    description:
      '- `SERVICE_UNAVAILABLE`: a dependency is down, or the service is shutting down; `details` holds the health report naming it.',
    schema: {
      allOf: [
        // ErrorBody is the shape HttpErrorFilter (libs/http-api) gives this 503; configureHttpApi adds it to the document.
        { $ref: '#/components/schemas/ErrorBody' },
        {
          type: 'object',
          properties: {
            statusCode: { type: 'integer', enum: [503] },
            code: { type: 'string', enum: ['SERVICE_UNAVAILABLE'] },
            details: { $ref: getSchemaPath(HealthReport) },
          },
        },
      ],
    },
  })
  ready(): Promise<HealthCheckResult> {
    return this.health.check(
      this.checks.map((readiness) => async () => {
        const indicator = this.indicators.check(readiness.name);
        try {
          await readiness.check();
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: error instanceof Error ? error.message : String(error) });
        }
      }),
    );
  }
}

/** `/health/live` and `/health/ready` on @nestjs/terminus, ready only when every check passes. */
@Module({})
export class HealthModule {
  static forRoot(checks: Type<ReadinessCheck>[]): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [...checks, { provide: READINESS_CHECKS, inject: checks, useFactory: (...all: ReadinessCheck[]) => all }],
    };
  }
}
