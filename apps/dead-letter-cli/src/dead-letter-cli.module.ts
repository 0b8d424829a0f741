import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConfigModule } from '@todo/config';
import { DeadLetterQueues } from './commands/dead-letter-queues';
import { ListDeadLettersCommand } from './commands/list-dead-letters.command';
import { PurgeDeadLettersCommand } from './commands/purge-dead-letters.command';
import { RedriveDeadLettersCommand } from './commands/redrive-dead-letters.command';
import { ShowDeadLetterCommand } from './commands/show-dead-letter.command';
import { DeadLetterCliConfig } from './config/dead-letter-cli.config';

const commands = [ListDeadLettersCommand, ShowDeadLetterCommand, RedriveDeadLettersCommand, PurgeDeadLettersCommand];

@Module({})
export class DeadLetterCliModule {
  static forRoot(config: DeadLetterCliConfig): DynamicModule {
    return {
      module: DeadLetterCliModule,
      imports: [ServiceConfigModule.forRoot(DeadLetterCliConfig, config)],
      providers: [DeadLetterQueues, ...commands],
    };
  }
}
