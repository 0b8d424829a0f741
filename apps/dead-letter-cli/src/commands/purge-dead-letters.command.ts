import { Command, CommandRunner, Option } from 'nest-commander';
import { DeadLetterQueues, print } from './dead-letter-queues';

@Command({ name: 'purge', arguments: '<consumer>', description: 'Delete every dead letter of a consumer (needs --yes)' })
export class PurgeDeadLettersCommand extends CommandRunner {
  constructor(private readonly queues: DeadLetterQueues) {
    super();
  }

  async run([consumer]: string[], options: { yes?: boolean }): Promise<void> {
    if (!options.yes) throw new Error('purging deletes messages for good; add --yes to confirm');
    const purged = await (await this.queues.of(consumer)).purge();
    print(`purged ${purged} message(s) from ${consumer}.dlq`);
  }

  @Option({ flags: '--yes', description: 'confirm the deletion' })
  parseYes(): boolean {
    return true;
  }
}
