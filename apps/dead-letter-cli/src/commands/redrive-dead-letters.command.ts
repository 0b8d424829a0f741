import { ProgressMeter } from '@todo/observability';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DeadLetterQueues, print } from './dead-letter-queues';

interface RedriveOptions {
  id?: string;
  all?: boolean;
  limit?: number;
  dryRun?: boolean;
}

@Command({
  name: 'redrive',
  arguments: '<consumer>',
  description: "Send dead letters back to the consumer's work queue with a fresh attempt count (--id <message-id> or --all)",
})
export class RedriveDeadLettersCommand extends CommandRunner {
  constructor(private readonly queues: DeadLetterQueues) {
    super();
  }

  async run([consumer]: string[], options: RedriveOptions): Promise<void> {
    if (!options.all && !options.id) throw new Error('say which: --id <message-id> or --all');
    const queue = await this.queues.of(consumer);
    let meter: ProgressMeter | undefined;
    const redriven = await queue.redrive((letter) => options.all === true || letter.messageId === options.id, {
      limit: options.limit,
      dryRun: options.dryRun,
      onProgress: (done, of) => {
        meter ??= new ProgressMeter({
          label: `redrive ${consumer}`,
          unit: 'messages',
          total: of,
          terminal: process.stderr.isTTY ? process.stderr : undefined,
          report: (r) => print(`redriven ${r.done}/${r.total}`),
        });
        if (!options.dryRun) meter.update(done, of);
      },
    });
    if (options.id && redriven === 0) throw new Error(`no dead letter with message id ${options.id} for ${consumer}`);
    if (options.dryRun) {
      print(`dry run: would redrive ${redriven} message(s) to ${queue.consumer.queue}; nothing was moved`);
      return;
    }
    meter?.finish(redriven);
    print(`redrove ${redriven} message(s) to ${queue.consumer.queue}`);
  }

  @Option({ flags: '--id <message-id>', description: 'redrive this message' })
  parseId(value: string): string {
    return value;
  }

  @Option({ flags: '--all', description: 'redrive every message' })
  parseAll(): boolean {
    return true;
  }

  @Option({ flags: '--limit <n>', description: 'redrive at most n messages, the oldest first' })
  parseLimit(value: string): number {
    const limit = Number(value);
    if (!Number.isSafeInteger(limit) || limit < 1) throw new Error('--limit must be a positive integer');
    return limit;
  }

  @Option({ flags: '--dry-run', description: 'say how many would be redriven, and move nothing' })
  parseDryRun(): boolean {
    return true;
  }
}
