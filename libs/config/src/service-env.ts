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
import { SemconvStability, semconvStability } from './semconv-stability';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
const NODE_ENVS = ['development', 'test', 'production'] as const;
const QUEUE_TYPES = ['classic', 'quorum'] as const;
const AMQP_URL_PATTERN = /^amqps?:\/\/.+/;

/** A comma-separated list of amqp:// URLs, none empty. */
function AmqpUrlList(): PropertyDecorator {
  return ValidateBy({
    name: 'amqpUrlList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.split(',').every((url) => AMQP_URL_PATTERN.test(url.trim())),
      defaultMessage: () => 'AMQP_URLS must be a comma-separated list of amqp:// or amqps:// URLs, one per broker node',
    },
  });
}

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

  @Matches(AMQP_URL_PATTERN, { message: 'AMQP_URL must be an amqp:// or amqps:// URL' })
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  /**
   * The nodes of a RabbitMQ cluster, comma-separated; when set, it replaces AMQP_URL.
   * The service connects to the first that answers and, when that node is lost, to the
   * next: any node serves every queue of the cluster.
   */
  @IsOptional()
  @AmqpUrlList()
  AMQP_URLS?: string;

  /**
   * `classic` (the default: right for one node, and what existing queues are) or `quorum`
   * (replicated across a cluster's nodes). Every service and the provisioning must agree:
   * the broker refuses a queue declared with another type than it has.
   */
  @IsIn(QUEUE_TYPES)
  QUEUE_TYPE: (typeof QUEUE_TYPES)[number] = 'classic';

  /** Quorum queues: deliveries of one message without a settlement before the broker dead-letters it. */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(1000)
  QUEUE_DELIVERY_LIMIT = 20;

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

  /**
   * OpenTelemetry's semantic-convention opt-in, comma-separated: `messaging` (the current
   * messaging conventions only), `messaging/dup` (the current and the ones emitted before),
   * unset for the ones emitted before. The SDK's own instrumentations read it too (`http`, `database`).
   */
  @Matches(/^\s*[\w./-]*\s*(,\s*[\w./-]*\s*)*$/, {
    message: 'OTEL_SEMCONV_STABILITY_OPT_IN must be a comma-separated list such as messaging or messaging/dup',
  })
  OTEL_SEMCONV_STABILITY_OPT_IN = '';

  /** What OTEL_SEMCONV_STABILITY_OPT_IN asks of one category of conventions. */
  semconvStability(category: string): SemconvStability {
    return semconvStability(this.OTEL_SEMCONV_STABILITY_OPT_IN, category);
  }

  /** The broker nodes to connect to: AMQP_URLS when set, else AMQP_URL alone. */
  amqpUrls(): string[] {
    return this.AMQP_URLS ? this.AMQP_URLS.split(',').map((url) => url.trim()) : [this.AMQP_URL];
  }
}
