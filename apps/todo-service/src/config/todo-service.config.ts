import { ServiceEnv, loadConfig } from '@todo/config';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsString, Length, Max, Min } from 'class-validator';

export class TodoServiceConfig extends ServiceEnv {
  override PORT = 8081;
  override DB_SCHEMA = 'todo';

  /** Address of the demo user (id 1) registered at first start. */
  @IsEmail()
  DEMO_USER_EMAIL = 'demo@example.com';

  @IsString()
  @Length(1, 200)
  DEMO_USER_NAME = 'Demo User';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  OUTBOX_BATCH_SIZE = 1_000;

  /** Safety poll; new entries are picked up at once through LISTEN/NOTIFY. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  OUTBOX_POLL_INTERVAL_MS = 2_000;
}

export function loadTodoServiceConfig(env: Record<string, string | undefined>): TodoServiceConfig {
  return loadConfig(TodoServiceConfig, env);
}
