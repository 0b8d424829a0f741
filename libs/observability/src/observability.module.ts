import { DynamicModule, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { LOGGER } from './logger';

/** Makes the service's JSON logger injectable everywhere as `@Inject(LOGGER)`. */
@Module({})
export class ObservabilityModule {
  static forRoot(logger: Logger): DynamicModule {
    return { module: ObservabilityModule, global: true, providers: [{ provide: LOGGER, useValue: logger }], exports: [LOGGER] };
  }
}
