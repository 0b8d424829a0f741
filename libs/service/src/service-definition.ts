import { DynamicModule, Provider, Type } from '@nestjs/common';
import { ServiceEnv } from '@todo/config';
import { RebuildTarget } from '@todo/event-store';
import { StatusByCode } from '@todo/http-api';
import { ConsumerQueue } from '@todo/messaging';
import { MigrationInterface } from 'typeorm';

/**
 * What one service is, and all that differs between services: its name, configuration,
 * schema, feature modules, the queue it consumes, its HTTP description and the read
 * models it can rebuild. Everything else (logging, metrics, health, database, broker,
 * consumer, HTTP edge, shutdown) is the platform's, wired by `ServiceModule` and
 * `runService`.
 */
export interface ServiceDefinition<TConfig extends ServiceEnv = ServiceEnv> {
  name: string;
  /** The validated environment (its defaults give PORT and DB_SCHEMA). */
  config: new () => TConfig;
  /** Every migration of the service's schema, in order. */
  migrations: (new () => MigrationInterface)[];
  /** The service's own modules (use cases, handlers, projections). */
  modules: (Type | DynamicModule)[];
  /** Providers of the service itself (background workers, initializers). */
  providers?: Provider[];
  /** The queue it reads, when it consumes events or commands. */
  consumer?: ConsumerQueue;
  /** Runs the outbox relay: the service publishes what it appends or sends. */
  outbox?: boolean;
  /** Serves its event store (GET /events, GET /correlations/:id), documenting these event types. */
  eventLog?: readonly string[];
  http: {
    description: string;
    tags: Record<string, string>;
    /** Error codes of its domain and application errors → HTTP statuses. */
    errorStatuses?: StatusByCode;
  };
  /** More to say in the `<service> listening` line (e.g. where mails go). */
  announce?(config: TConfig): Record<string, unknown>;
  /** The read models `<service> rebuild <name>` can rebuild, and where each reads the event stream. */
  readModels?(config: TConfig): RebuildTarget[];
}

/** Typed identity, so a definition's config type flows into `readModels` and the app factory. */
export function defineService<TConfig extends ServiceEnv>(definition: ServiceDefinition<TConfig>): ServiceDefinition<TConfig> {
  return definition;
}
