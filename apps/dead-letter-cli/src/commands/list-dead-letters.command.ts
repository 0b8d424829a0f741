import { Command, CommandRunner, Option } from 'nest-commander';
import { DeadLetterQueues, print } from './dead-letter-queues';

@Command({ name: 'list', arguments: '<consumer>', description: "Count a consumer's dead letters and group them by reason" })
export class ListDeadLettersCommand extends CommandRunner {
  constructor(private readonly queues: DeadLetterQueues) {
    super();
  }

  async run([consumer]: string[], options: { json?: boolean }): Promise<void> {
    const queue = await this.queues.of(consumer);
    const summary = await queue.summary();
    if (options.json) {
      print(JSON.stringify({ ...summary, messages: await queue.peek() }, null, 2));
      return;
    }
    print(`${summary.queue}: ${summary.count} message(s)`);
    for (const group of summary.reasons) print(`  ${String(group.count).padStart(5)}  ${group.code}  ${group.reason}`);
    for (const letter of await queue.peek()) print(`  - ${letter.messageId}  ${letter.eventType ?? '-'}  ${letter.code}`);
  }

  @Option({ flags: '--json', description: 'print JSON, with every message' })
  parseJson(): boolean {
    return true;
  }
}
