import amqp, { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Options } from 'amqplib';
import { Logger } from '@todo/observability';
import { ManagedChannel, ManagedChannelOptions } from './managed-channel';

/** How long a channel's setup (declarations, consume) may take before it is started again. */
const CHANNEL_SETUP_TIMEOUT_MS = 30_000;

/** The cause of a failed connection attempt (`rabbitmq-login-refused`, …) and what to do, when it can be told. */
export type ConnectFailureExplainer = (error: Error) => { cause: string; hint?: string } | undefined;

export interface AmqpConnectionOptions {
  /**
   * One URL per node of the broker (a cluster's nodes, or one). Each attempt takes the
   * next in turn, so after a node is lost the connection comes back on another.
   */
  urls: readonly string[];
  /** Shown in the RabbitMQ console's connection list. */
  connectionName: string;
  logger: Logger;
  /** 5 unless set; 0 turns heartbeats off (amqplib does not fall back to the broker's value for 0). */
  heartbeatSeconds?: number;
  reconnectSeconds?: number;
  /** Names the likely cause of a failed attempt: a refused login or a missing vhost does not mend by retrying. */
  explainFailure?: ConnectFailureExplainer;
  /** A channel whose setup has not finished by then is closed and opened again (default 30 s). */
  channelSetupTimeoutMs?: number;
}

/**
 * One reconnecting AMQP connection per process. Channels created from it re-run
 * their setup (topology, consumers) after every reconnect, on whichever node it reached.
 */
export class AmqpConnection {
  readonly manager: AmqpConnectionManager;
  /**
   * The broker node this connection last connected to (`server.address` / `server.port` of
   * its spans and metrics): the host and port of that URL, unknown before the first connect.
   */
  readonly node: { address?: string; port?: number } = {};
  private closed = false;
  private topologyDeclared = false;
  private readonly logger: Logger;
  private readonly channelSetupTimeoutMs: number;

  constructor(options: AmqpConnectionOptions) {
    this.logger = options.logger;
    this.channelSetupTimeoutMs = options.channelSetupTimeoutMs ?? CHANNEL_SETUP_TIMEOUT_MS;
    if (options.urls.length === 0) throw new Error('AMQP: no broker URL');
    this.manager = amqp.connect([...options.urls], {
      heartbeatIntervalInSeconds: options.heartbeatSeconds ?? 5,
      reconnectTimeInSeconds: options.reconnectSeconds ?? 1,
      // No Nagle: a confirm or an ack must not wait for more bytes to share a packet with.
      connectionOptions: { noDelay: true, clientProperties: { connection_name: options.connectionName } },
    });
    this.manager.on('connect', ({ url }) => {
      Object.assign(this.node, brokerNodeOf(url));
      options.logger.info(
        {
          broker: typeof url === 'string' ? redact(url) : `${url.hostname}:${url.port}`,
          // What the topology's declarations branch on (broker-version.ts).
          broker_version: this.manager.connection?.connection.serverProperties.version,
        },
        'AMQP connected',
      );
    });
    this.manager.on('disconnect', ({ err }) => {
      this.topologyDeclared = false;
      options.logger.warn({ err: err?.message }, 'AMQP disconnected; reconnecting');
    });
    this.manager.on('connectFailed', ({ err }) => {
      const explained = err ? options.explainFailure?.(err) : undefined;
      options.logger.warn({ err: err?.message, ...explained }, 'AMQP connection attempt failed; retrying');
    });
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
   * A channel that keeps itself open: its setup (declarations, consume) runs on every
   * channel it gets, after a reconnect and after the broker closed it alone.
   */
  createChannel(options: ManagedChannelOptions): ManagedChannel {
    return new ManagedChannel(
      { manager: this.manager, logger: this.logger, setupTimeoutMs: this.channelSetupTimeoutMs, connectionClosed: () => this.closed },
      options,
    );
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

/** The host and port a broker URL names (no DNS), the protocol's default port when it names none. */
export function brokerNodeOf(url: string | Options.Connect): { address: string; port: number } {
  const defaultPort = (protocol: string) => (protocol === 'amqps' ? 5671 : 5672);
  if (typeof url !== 'string') return { address: url.hostname ?? 'localhost', port: url.port ?? defaultPort(url.protocol ?? 'amqp') };
  const parsed = new URL(url);
  return {
    address: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : defaultPort(parsed.protocol.replace(/:$/, '')),
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
