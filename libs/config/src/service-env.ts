import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidationArguments,
  ValidateBy,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
const NODE_ENVS = ['development', 'test', 'production'] as const;

/** The key the services sign and verify tokens with when none is configured: for a developer's machine only. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-signing-key-never-use-in-production';

/** Refuses the development key when NODE_ENV is production. */
function NotTheDevelopmentKeyInProduction(): PropertyDecorator {
  return ValidateBy({
    name: 'notTheDevelopmentKeyInProduction',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        (args?.object as { NODE_ENV?: string }).NODE_ENV !== 'production' || value !== DEVELOPMENT_JWT_SECRET,
      defaultMessage: () => 'JWT_SECRET must be set to a key of your own when NODE_ENV is production',
    },
  });
}

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

  /** The address to listen on: this machine only unless told otherwise (compose sets 0.0.0.0 inside its network). */
  @IsString()
  @IsNotEmpty()
  HOST = '127.0.0.1';

  /** `production` refuses the development signing key. */
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  /** HS256 key shared by the services: todo-service signs access tokens with it, every service verifies them. */
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  @NotTheDevelopmentKeyInProduction()
  JWT_SECRET = DEVELOPMENT_JWT_SECRET;

  /** `iss` and `aud` of the platform's tokens; a token of another issuer or audience is refused. */
  @IsString()
  @IsNotEmpty()
  JWT_ISSUER = 'todo-platform';

  @IsString()
  @IsNotEmpty()
  JWT_AUDIENCE = 'todo-platform';

  /** Lifetime of an access token, in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(86_400)
  JWT_TTL_SECONDS = 900;

  /** Largest JSON body accepted, in kilobytes; a bigger one is refused with 413. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_240)
  HTTP_BODY_LIMIT_KB = 100;

  /** Origins a browser may call the API from, comma-separated; empty (the default) sends no CORS headers at all. */
  @Matches(/^(https?:\/\/[^,\s]+)(,https?:\/\/[^,\s]+)*$|^$/, { message: 'CORS_ORIGINS must be a comma-separated list of http(s) origins' })
  CORS_ORIGINS = '';

  /** `rebuild` of a read model fed by another service's GET /events: an admin's access token (POST /auth/token). */
  @IsOptional()
  @IsString()
  REBUILD_ACCESS_TOKEN?: string;

  /** Writes (POST, PUT, DELETE) one user may send per minute; 429 with Retry-After beyond. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_WRITES_PER_MINUTE = 600;

  /** POST /auth/token calls one client address may send per minute (password guessing). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_TOKENS_PER_MINUTE = 10;

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
