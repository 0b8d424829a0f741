import amqp, { AmqpConnectionManager, ChannelWrapper, CreateChannelOpts } from 'amqp-connection-manager';
import { Logger } from '@todo/observability';
import { batchFrameWrites } from './write-batching';

export interface AmqpConnectionOptions {
  /**
   * One URL per node of the broker (a cluster's nodes, or one). Each attempt takes the
   * next in turn, so after a node is lost the connection comes back on another.
   */
  urls: readonly string[];
  /** Shown in the RabbitMQ console's connection list. */
  connectionName: string;
  logger: Logger;
  heartbeatSeconds?: number;
  reconnectSeconds?: number;
}

/**
 * One reconnecting AMQP connection per process. Channels created from it re-run
 * their setup (topology, consumers) after every reconnect, on whichever node it reached.
 */
export class AmqpConnection {
  readonly manager: AmqpConnectionManager;
  private closed = false;
  private topologyDeclared = false;
  private readonly logger: Logger;

  constructor(options: AmqpConnectionOptions) {
    this.logger = options.logger;
    if (options.urls.length === 0) throw new Error('AMQP: no broker URL');
    this.manager = amqp.connect([...options.urls], {
      heartbeatIntervalInSeconds: options.heartbeatSeconds ?? 5,
      reconnectTimeInSeconds: options.reconnectSeconds ?? 1,
      // No Nagle: a confirm or an ack must not wait for more bytes to share a packet with.
      connectionOptions: { noDelay: true, clientProperties: { connection_name: options.connectionName } },
    });
    this.manager.on('connect', ({ connection, url }) => {
      const batched = batchFrameWrites(connection);
      if (!batched) options.logger.warn('amqplib internals changed: frames are written one by one');
      options.logger.info({ broker: typeof url === 'string' ? redact(url) : `${url.hostname}:${url.port}` }, 'AMQP connected');
    });
    this.manager.on('disconnect', ({ err }) => {
      this.topologyDeclared = false;
      options.logger.warn({ err: err?.message }, 'AMQP disconnected; reconnecting');
    });
    this.manager.on('connectFailed', ({ err }) => options.logger.warn({ err: err?.message }, 'AMQP connection attempt failed; retrying'));
  }

  isConnected(): boolean {
    return this.manager.isConnected();
  }

  /** True once a channel of this connection declared the topology since it (re)connected. */
  hasTopology(): boolean {
    return this.manager.isConnected() && this.topologyDeclared;
  }

  /** Called by a channel setup after declareTopology succeeded. */
  topologyReady(): void {
    this.topologyDeclared = true;
  }

  /**
   * A channel whose setup fails (the connection closed under it, a declaration refused)
   * reports it here and tries again on the next connect; without a listener the wrapper's
   * 'error' event would take the process down.
   */
  createChannel(options: CreateChannelOpts): ChannelWrapper {
    const channel = this.manager.createChannel(options);
    channel.on('error', (err: Error) =>
      this.logger.warn({ err: err.message, channel: options.name }, 'AMQP channel setup failed; it is retried on reconnect'),
    );
    return channel;
  }

  /** Resolves once connected (or at once if already), or when `signal` aborts. */
  waitUntilConnected(signal?: AbortSignal): Promise<void> {
    if (this.manager.isConnected()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.manager.off('connect', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.manager.on('connect', done);
      signal?.addEventListener('abort', done);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.manager.close();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
