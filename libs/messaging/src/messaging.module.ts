import { DynamicModule, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, Logger } from '@todo/observability';
import { AmqpConnection, ConnectFailureExplainer } from './connection/amqp-connection';
import { SemconvStability } from './telemetry/messaging-attributes';
import { MessagingConventions } from './telemetry/messaging-conventions';

export interface MessagingModuleOptions {
  /** The broker's nodes: a connection goes to the first that answers, and after a loss to the next. */
  urls: readonly string[];
  /** Shown in the RabbitMQ console, e.g. the service name. */
  connectionName: string;
  /** Which messaging conventions spans follow (OTEL_SEMCONV_STABILITY_OPT_IN); the ones emitted before unless told. */
  semconvStability?: SemconvStability;
  /** Names the likely cause of a failed connection attempt and what to do about it (logged with each attempt). */
  explainFailure?: ConnectFailureExplainer;
}

@Injectable()
class ConnectionCloser implements OnApplicationShutdown {
  constructor(private readonly connection: AmqpConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/** The process's one reconnecting RabbitMQ connection, closed last at shutdown, and the conventions its telemetry follows. */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        {
          provide: AmqpConnection,
          inject: [LOGGER],
          useFactory: (logger: Logger) => new AmqpConnection({ ...options, logger }),
        },
        {
          provide: MessagingConventions,
          inject: [AmqpConnection],
          useFactory: (connection: AmqpConnection) => new MessagingConventions(options.semconvStability ?? 'old', connection.node),
        },
        ConnectionCloser,
      ],
      exports: [AmqpConnection, MessagingConventions],
    };
  }
}
