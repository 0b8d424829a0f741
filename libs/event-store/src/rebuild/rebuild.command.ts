import { Inject } from '@nestjs/common';
import { LOGGER, Logger } from '@todo/observability';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { EventSource } from './event-source';
import { RebuildableReadModel, rebuildReadModel } from './read-model-rebuild';

/** A read model of this service, and where its events come from. */
export interface RebuildTarget {
  model: RebuildableReadModel;
  source: (dataSource: DataSource) => EventSource;
}

export const REBUILD_TARGETS = Symbol('REBUILD_TARGETS');

@Command({
  name: 'rebuild',
  arguments: '<read-model>',
  description: 'Rebuild a read model from the event stream while the service keeps serving',
})
export class RebuildCommand extends CommandRunner {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REBUILD_TARGETS) private readonly targets: RebuildTarget[],
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async run([name]: string[], options: { batchSize?: number }): Promise<void> {
    const target = this.targets.find((t) => t.model.name === name);
    if (!target) {
      throw new Error(`unknown read model "${name}"; this service has: ${this.targets.map((t) => t.model.name).join(', ')}`);
    }
    await rebuildReadModel(this.dataSource, target.source(this.dataSource), target.model, {
      batchSize: options.batchSize,
      logger: this.logger,
      // A person at a terminal gets a progress bar; logs and pipes get JSON lines.
      terminal: process.stderr.isTTY ? process.stderr : undefined,
    });
  }

  @Option({ flags: '--batch-size <n>', description: 'events per transaction (default 500)' })
  parseBatchSize(value: string): number {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error('--batch-size must be a positive integer');
    return n;
  }
}
