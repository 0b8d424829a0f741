import { Controller, DynamicModule, Get, Header, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@todo/auth';
import { PlatformMetrics } from './platform-metrics';

@ApiExcludeController()
@Public()
@Controller('metrics')
class MetricsController {
  constructor(private readonly metrics: PlatformMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

/** `GET /metrics` in the Prometheus text format, and the service's PlatformMetrics for injection. */
@Module({})
export class MetricsModule {
  static forRoot(metrics: PlatformMetrics): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [{ provide: PlatformMetrics, useValue: metrics }],
      exports: [PlatformMetrics],
    };
  }
}
