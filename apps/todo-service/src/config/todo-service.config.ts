import { ServiceEnv, loadConfig } from '@todo/config';
import { IsEmail, IsString, Length } from 'class-validator';

export class TodoServiceConfig extends ServiceEnv {
  override PORT = 8081;
  override DB_SCHEMA = 'todo';

  /** Address of the demo user (id 1) registered at first start. */
  @IsEmail()
  DEMO_USER_EMAIL = 'demo@example.com';

  @IsString()
  @Length(1, 200)
  DEMO_USER_NAME = 'Demo User';
}

export function loadTodoServiceConfig(env: Record<string, string | undefined>): TodoServiceConfig {
  return loadConfig(TodoServiceConfig, env);
}
