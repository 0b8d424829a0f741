import { DynamicModule, Module } from '@nestjs/common';
import { Logger, ObservabilityModule } from '@todo/observability';
import { CommandFactory } from 'nest-commander';
import { DatabaseModule, DatabaseOptions } from '@todo/database';
import { EventStoreModule } from '../event-store.module';
import { REBUILD_TARGETS, RebuildCommand, RebuildTarget } from './rebuild.command';

@Module({})
class RebuildCliModule {
  static forRoot(logger: Logger, database: DatabaseOptions, targets: RebuildTarget[]): DynamicModule {
    return {
      module: RebuildCliModule,
      imports: [ObservabilityModule.forRoot(logger), DatabaseModule.forRoot(database), EventStoreModule.forRoot({ service: 'rebuild' })],
      providers: [RebuildCommand, { provide: REBUILD_TARGETS, useValue: targets }],
    };
  }
}

/**
 * Runs `<service main> rebuild <read-model>` as a nest-commander command, on the
 * service's own (migrated) schema.
 */
export async function runRebuildCli(options: { logger: Logger; database: DatabaseOptions; targets: RebuildTarget[] }): Promise<void> {
  const fail = (error: Error & { code?: string }) => {
    if (error.code?.startsWith('commander.help')) process.exit(0);
    process.stderr.write(`rebuild: ${error.message}\n`);
    process.exit(1);
  };
  await CommandFactory.run(RebuildCliModule.forRoot(options.logger, options.database, options.targets), {
    logger: ['error'],
    errorHandler: fail,
    serviceErrorHandler: fail,
  });
}
