import { ServiceEnv, loadConfig } from '@todo/config';
import { IsEmail, IsOptional, IsString, Length, Matches } from 'class-validator';

export class TodoServiceConfig extends ServiceEnv {
  override PORT = 8081;
  override DB_SCHEMA = 'todo';
  /** Its own role, owning only its schema (`npm run setup:local` creates it). */
  override DATABASE_URL = 'postgres://todo_service:todo_service@127.0.0.1:5432/todo_platform';
  /** Its own broker user, with only its rights (`npm run broker:setup` creates it). */
  override AMQP_URL = 'amqp://todo-service:todo-service@127.0.0.1:5672';

  /** Address of the demo user (id 1), registered at first start when DEMO_USER_PASSWORD is set. */
  @IsEmail()
  DEMO_USER_EMAIL = 'demo@example.com';

  @IsString()
  @Length(1, 200)
  DEMO_USER_NAME = 'Demo User';

  /** Registers the demo user with this password at first start; unset (the default), there is no demo user. */
  @IsOptional()
  @IsString()
  @Length(12, 256, { message: 'DEMO_USER_PASSWORD must be 12 to 256 characters' })
  DEMO_USER_PASSWORD?: string;

  /** Addresses whose tokens carry the admin role (comma-separated, compared in lower case). */
  @Matches(/^$|^[^,\s@]+@[^,\s@]+(,[^,\s@]+@[^,\s@]+)*$/, { message: 'ADMIN_EMAILS must be a comma-separated list of email addresses' })
  ADMIN_EMAILS = '';

  /**
   * The services whose steps GET /journeys/:id gathers (comma-separated base URLs; empty for
   * none): each is asked for its GET /journeys/:id/steps with the caller's token.
   */
  @Matches(/^$|^https?:\/\/[^,\s]+(,https?:\/\/[^,\s]+)*$/, {
    message: 'JOURNEY_SERVICE_URLS must be a comma-separated list of http(s) URLs',
  })
  JOURNEY_SERVICE_URLS = 'http://127.0.0.1:8082,http://127.0.0.1:8083,http://127.0.0.1:8084,http://127.0.0.1:8085';

  get journeyServiceUrls(): readonly string[] {
    return this.JOURNEY_SERVICE_URLS.split(',')
      .filter(Boolean)
      .map((url) => url.replace(/\/+$/, ''));
  }

  get adminEmails(): ReadonlySet<string> {
    return new Set(
      this.ADMIN_EMAILS.split(',')
        .filter(Boolean)
        .map((e) => e.toLowerCase()),
    );
  }
}

export function loadTodoServiceConfig(env: Record<string, string | undefined>): TodoServiceConfig {
  return loadConfig(TodoServiceConfig, env);
}
