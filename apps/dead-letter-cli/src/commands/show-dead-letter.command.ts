import { Command, CommandRunner, Option } from 'nest-commander';
import { DeadLetterQueues, describeLetter, print } from './dead-letter-queues';

@Command({ name: 'show', arguments: '<consumer> <message-id>', description: 'Show one dead letter: why it failed, its headers and body' })
export class ShowDeadLetterCommand extends CommandRunner {
  constructor(private readonly queues: DeadLetterQueues) {
    super();
  }

  async run([consumer, messageId]: string[], options: { json?: boolean }): Promise<void> {
    const letter = await (await this.queues.of(consumer)).find(messageId);
    if (!letter) throw new Error(`no dead letter with message id ${messageId} for ${consumer}`);
    if (options.json) {
      print(JSON.stringify(letter, null, 2));
      return;
    }
    print(describeLetter(letter));
    print(`stack:\n${String(letter.headers['x-dead-letter-stack'] ?? '-')}`);
    print(`body:\n${letter.body}`);
  }

  @Option({ flags: '--json', description: 'print JSON' })
  parseJson(): boolean {
    return true;
  }
}
