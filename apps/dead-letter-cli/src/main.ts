import 'reflect-metadata';
import { readEnvironment } from '@todo/config';
import { PLATFORM_TOPOLOGY } from '@todo/messaging';
import { explainStartUpFailure } from '@todo/service/start-up-failure';
import { CommandFactory } from 'nest-commander';
import { DeadLetterCliConfig, loadDeadLetterCliConfig } from './config/dead-letter-cli.config';
import { DeadLetterCliModule } from './dead-letter-cli.module';

/** Commander's help lists the commands; what they read from the environment is said here. */
const ENVIRONMENT_HELP = `
<consumer>: ${PLATFORM_TOPOLOGY.consumers.map((c) => c.queue).join(', ')}

Environment (also read from a .env file in the working directory; the environment wins):
  AMQP_URL  the operator's broker user: reads the dead-letter queues, puts messages back on
            work queues, nothing else (default ${new DeadLetterCliConfig().AMQP_URL})
`;

const HELP_WORDS = new Set(['--help', '-h', 'help']);

/**
 * `npm run dlq -- <command>`: inspect and redrive the consumers' dead-letter queues.
 * list <consumer> | show <consumer> <message-id> | redrive <consumer> --id <id> | --all | purge <consumer> --yes
 */
async function main(argv: string[]): Promise<void> {
  // Help (or no command at all) needs no valid configuration: nothing connects before a command runs.
  const helpOnly = argv.length === 0 || argv.some((arg) => HELP_WORDS.has(arg));
  const config = helpOnly ? new DeadLetterCliConfig() : loadDeadLetterCliConfig(readEnvironment());
  const fail = (error: Error & { code?: string }) => {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
      if (error.code === 'commander.helpDisplayed') process.stdout.write(ENVIRONMENT_HELP);
      process.exit(0);
    }
    // Commander reports a bare call (it printed the usage) as an error; it is not one.
    if (error.code === 'commander.help') process.exit(0);
    exitNamingTheCause(error, config);
  };
  await CommandFactory.run(DeadLetterCliModule.forRoot(config), {
    logger: ['error'],
    errorHandler: fail,
    serviceErrorHandler: fail,
    // Each command with its flags in the list of commands, not only behind `<command> --help`.
    helpConfiguration: {
      commandUsage: (command) => ['npm run dlq --', ...(command.parent ? [command.name()] : []), command.usage()].join(' '),
      subcommandTerm: (command) =>
        [
          command.name(),
          ...command.registeredArguments.map((arg) => (arg.required ? `<${arg.name()}>` : `[${arg.name()}]`)),
          ...command.options.map((option) => `[${option.flags}]`),
        ].join(' '),
    },
  });
}

/** Says what went wrong and, when the cause is a familiar one (no broker, a refused login), what to do. */
function exitNamingTheCause(error: unknown, config?: DeadLetterCliConfig): never {
  const { hint } = explainStartUpFailure(error, config && { amqpUrls: [config.AMQP_URL] });
  process.stderr.write(`dlq: ${error instanceof Error ? error.message : String(error)}\n${hint ? `  ${hint}\n` : ''}`);
  process.exit(1);
}

main(process.argv.slice(2)).catch((error: unknown) => exitNamingTheCause(error));
