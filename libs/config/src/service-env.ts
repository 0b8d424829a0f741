import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Environment every service reads. The defaults are those of the compose stack's
 * RabbitMQ and PostgreSQL on their standard local ports, so a service starts as is
 * next to `docker compose up rabbitmq postgres mailpit`, or on a machine prepared with
 * `npm run setup:local`.
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

  /** The compose database's role and name; `npm run setup:local` creates both on a bare machine. */
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection string' })
  DATABASE_URL = 'postgres://todo:todo@127.0.0.1:5432/todo_platform';

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

  /** `json` (one object a line, for machines) or `pretty` (for a person at a terminal). */
  @IsIn(LOG_FORMATS)
  LOG_FORMAT: LogFormat = 'json';

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

  /** Most outbox entries the relay publishes per round (services with an outbox). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  OUTBOX_BATCH_SIZE = 1_000;

  /** The relay's safety poll; new entries are picked up at once through LISTEN/NOTIFY. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  OUTBOX_POLL_INTERVAL_MS = 2_000;
}
