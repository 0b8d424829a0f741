import { loadConfig } from '@todo/config';
import { Matches } from 'class-validator';

export class DeadLetterCliConfig {
  /** The operator's broker user: reads the dead-letter queues, puts messages back on work queues, nothing else. */
  @Matches(/^amqps?:\/\/.+/, { message: 'AMQP_URL must be an amqp:// or amqps:// URL' })
  AMQP_URL = 'amqp://operator:operator@127.0.0.1:5672';
}

export function loadDeadLetterCliConfig(env: Record<string, string | undefined>): DeadLetterCliConfig {
  return loadConfig(DeadLetterCliConfig, env);
}
