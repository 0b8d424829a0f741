import { Command, CommandRunner, Option } from 'nest-commander';
import { DeadLetterQueues, print } from './dead-letter-queues';

interface RedriveOptions {
  id?: string;
  all?: boolean;
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
    const redriven = await queue.redrive((letter) => options.all === true || letter.messageId === options.id);
    if (options.id && redriven === 0) throw new Error(`no dead letter with message id ${options.id} for ${consumer}`);
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
}
