import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboxRelay } from '@todo/event-store';
import { AmqpConnection, MessagePublisher, PLATFORM_TOPOLOGY } from '@todo/messaging';
import { LOGGER, Logger } from '@todo/observability';
import { TodoServiceConfig } from '../../config/todo-service.config';

/** Runs the outbox relay for the life of the service; at shutdown it publishes what is committed, then stops. */
@Injectable()
export class OutboxRelayHost implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  private readonly publisher: MessagePublisher;

  constructor(config: TodoServiceConfig, connection: AmqpConnection, @Inject(LOGGER) logger: Logger) {
    this.publisher = new MessagePublisher(connection, PLATFORM_TOPOLOGY, logger);
    this.relay = new OutboxRelay({
      databaseUrl: config.DATABASE_URL,
      schema: config.DB_SCHEMA,
      publisher: this.publisher,
      logger,
      batchSize: config.OUTBOX_BATCH_SIZE,
      pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    });
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
