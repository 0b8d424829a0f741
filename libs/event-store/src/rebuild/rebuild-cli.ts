import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { CommandFactory } from 'nest-commander';
import { REBUILD_TARGETS, RebuildCommand, RebuildTarget } from './rebuild.command';

@Module({})
class RebuildCliModule {
  static forRoot(imports: ModuleMetadata['imports'], targets: RebuildTarget[]): DynamicModule {
    return { module: RebuildCliModule, imports, providers: [RebuildCommand, { provide: REBUILD_TARGETS, useValue: targets }] };
  }
}

/**
 * Runs `<service main> rebuild <read-model>` as a nest-commander command. `imports`
 * provide the service's config, logger and migrated DataSource.
 */
export async function runRebuildCli(imports: ModuleMetadata['imports'], targets: RebuildTarget[]): Promise<void> {
  const fail = (error: Error & { code?: string }) => {
    if (error.code?.startsWith('commander.help')) process.exit(0);
    process.stderr.write(`rebuild: ${error.message}\n`);
    process.exit(1);
  };
  await CommandFactory.run(RebuildCliModule.forRoot(imports, targets), { logger: ['error'], errorHandler: fail, serviceErrorHandler: fail });
}
