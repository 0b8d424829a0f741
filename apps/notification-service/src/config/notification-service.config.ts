import { ServiceEnv, loadConfig } from '@todo/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export class NotificationServiceConfig extends ServiceEnv {
  /** Where `rebuild` reads the event stream from (GET /events); the service itself never calls it. */
  @Matches(/^https?:\/\/.+/, { message: 'TODO_SERVICE_URL must be an http(s) URL' })
  TODO_SERVICE_URL = 'http://127.0.0.1:8081';

  override PORT = 8082;
  override DB_SCHEMA = 'notification';
  /** Its own role, owning only its schema (`npm run setup:local` creates it). */
  override DATABASE_URL = 'postgres://notification_service:notification_service@127.0.0.1:5432/todo_platform';
  /** Its own broker user, with only its rights (`npm run broker:setup` creates it). */
  override AMQP_URL = 'amqp://notification-service:notification-service@127.0.0.1:5672';

  /** smtp://host:port (or smtps://user:pass@host). Unset: mails are written as .eml files under MAIL_DIR. */
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Todo Platform <no-reply@todo.local>';

  @IsString()
  MAIL_DIR = './data/mail';

  /** Mails sent at once; the rest wait their turn (SMTP servers throttle, the pool is shared). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  MAIL_CONCURRENCY = 4;

  /** How often unsent mails (after a crash or an SMTP failure) are looked for. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  MAIL_RETRY_INTERVAL_MS = 5_000;
}

export function loadNotificationServiceConfig(env: Record<string, string | undefined>): NotificationServiceConfig {
  return loadConfig(NotificationServiceConfig, env);
}
