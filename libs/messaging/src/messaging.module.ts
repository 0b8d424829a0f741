import { DynamicModule, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, Logger } from '@todo/observability';
import { AmqpConnection } from './connection/amqp-connection';

export interface MessagingModuleOptions {
  /** The broker's nodes: a connection goes to the first that answers, and after a loss to the next. */
  urls: readonly string[];
  /** Shown in the RabbitMQ console, e.g. the service name. */
  connectionName: string;
}

@Injectable()
class ConnectionCloser implements OnApplicationShutdown {
  constructor(private readonly connection: AmqpConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/** The process's one reconnecting RabbitMQ connection, closed last at shutdown. */
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
        ConnectionCloser,
      ],
      exports: [AmqpConnection],
    };
  }
}
