import 'reflect-metadata';
import { readEnvironment } from '@todo/config';
import { CommandFactory } from 'nest-commander';
import { loadDeadLetterCliConfig } from './config/dead-letter-cli.config';
import { DeadLetterCliModule } from './dead-letter-cli.module';

/**
 * `npm run dlq -- <command>`: inspect and redrive the consumers' dead-letter queues.
 * list <consumer> | show <consumer> <message-id> | redrive <consumer> --id <id> | --all | purge <consumer> --yes
 */
async function main(): Promise<void> {
  const config = loadDeadLetterCliConfig(readEnvironment());
  const fail = (error: Error & { code?: string }) => {
    // Commander reports --help and a bare call as errors; they are not.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') process.exit(0);
    process.stderr.write(`dlq: ${error.message}\n`);
    process.exit(1);
  };
  await CommandFactory.run(DeadLetterCliModule.forRoot(config), {
    logger: ['error'],
    errorHandler: fail,
    serviceErrorHandler: fail,
  });
}

void main();
