import { loadConfig } from '@todo/config';
import { Matches } from 'class-validator';

export class DeadLetterCliConfig {
  @Matches(/^amqps?:\/\/.+/, { message: 'AMQP_URL must be an amqp:// or amqps:// URL' })
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
}

export function loadDeadLetterCliConfig(env: Record<string, string | undefined>): DeadLetterCliConfig {
  return loadConfig(DeadLetterCliConfig, env);
}
