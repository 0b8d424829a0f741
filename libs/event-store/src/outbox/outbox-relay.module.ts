import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AmqpConnection, MessagePublisher, MessagingConventions, PLATFORM_TOPOLOGY } from '@todo/messaging';
import { LOGGER, Logger, PlatformMetrics } from '@todo/observability';
import { DataSource } from 'typeorm';
import { OutboxRelay, OutboxRelayOptions } from './outbox-relay';
import { OutboxTable } from './outbox-table';

export type OutboxRelayModuleOptions = Pick<OutboxRelayOptions, 'databaseUrl' | 'schema' | 'batchSize' | 'pollIntervalMs'>;

const RELAY_OPTIONS = Symbol('RELAY_OPTIONS');

/** Runs the outbox relay for the life of the service; at shutdown it publishes what is committed, then stops. */
@Injectable()
export class OutboxRelayHost implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  private readonly publisher: MessagePublisher;

  constructor(
    @Inject(RELAY_OPTIONS) options: OutboxRelayModuleOptions,
    connection: AmqpConnection,
    dataSource: DataSource,
    metrics: PlatformMetrics,
    @Inject(LOGGER) logger: Logger,
    conventions: MessagingConventions,
  ) {
    this.publisher = new MessagePublisher(connection, PLATFORM_TOPOLOGY, logger);
    const backlog = () => OutboxTable.backlog((sql) => dataSource.query(sql));
    metrics.gauge('todo_outbox_backlog_events', 'Committed messages not yet confirmed by the broker', [], async (g) =>
      g.set((await backlog()).entries),
    );
    metrics.gauge('todo_outbox_oldest_entry_age_seconds', 'Age of the oldest unpublished outbox entry (0 when empty)', [], async (g) =>
      g.set((await backlog()).oldestAgeSeconds),
    );
    this.relay = new OutboxRelay({ ...options, publisher: this.publisher, logger, metrics, conventions });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  /** After the HTTP server closed (so no request adds entries) and before the broker connection closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.publisher.close();
  }
}

/** The outbox relay of a service that appends events or sends commands. */
@Module({})
export class OutboxRelayModule {
  static forRoot(options: OutboxRelayModuleOptions): DynamicModule {
    return {
      module: OutboxRelayModule,
      providers: [{ provide: RELAY_OPTIONS, useValue: options }, OutboxRelayHost],
      exports: [OutboxRelayHost],
    };
  }
}
