import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Environment every service reads. Defaults point at RabbitMQ and PostgreSQL on
 * their standard local ports, so a service starts on a developer machine as is.
 */
export class ServiceEnv {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT!: number;

  @IsString()
  @IsNotEmpty()
  HOST = '0.0.0.0';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection string' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DB_SCHEMA must be a lower-case SQL identifier' })
  DB_SCHEMA!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  DB_POOL_SIZE = 10;

  @Matches(/^amqps?:\/\/.+/, { message: 'AMQP_URL must be an amqp:// or amqps:// URL' })
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL = 'info';

  /** Unacknowledged messages the broker may hand the service's consumer at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  CONSUMER_PREFETCH = 50;

  /** Most events the inbox commits in one transaction (group commit); 1 commits each alone. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  INBOX_MAX_BATCH = 100;

  /** Inbox transactions open at once; each holds one of the DB_POOL_SIZE connections. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  INBOX_CONCURRENCY = 2;

  /** Upper bound on a graceful shutdown (SIGTERM) before the process exits anyway. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  SHUTDOWN_TIMEOUT_MS = 10_000;
}
