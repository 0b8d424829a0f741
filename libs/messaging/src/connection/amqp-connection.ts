import amqp, { AmqpConnectionManager, ChannelWrapper, CreateChannelOpts } from 'amqp-connection-manager';
import { Logger } from '@todo/observability';
import type { ConfirmChannel } from 'amqplib';

/** A channel the broker closed is opened again after 0.5 s, 1 s, 2 s … up to 15 s. */
const CHANNEL_RETRY_FIRST_MS = 500;
const CHANNEL_RETRY_MAX_MS = 15_000;
/** How long a channel's setup (declarations, consume) may take before it is started again. */
const CHANNEL_SETUP_TIMEOUT_MS = 30_000;
/** How long a channel being closed may take to confirm it. */
const CHANNEL_CLOSE_TIMEOUT_MS = 5_000;
/** A channel that stayed open this long starts its back-off afresh when it next closes. */
const CHANNEL_STABLE_MS = 10_000;

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
  /** A channel whose setup has not finished by then is closed and opened again (default 30 s). */
  channelSetupTimeoutMs?: number;
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
   * A channel that keeps itself open. The wrapper re-creates its channel after a
   * reconnect, but a channel the broker closes while the connection stays up (a
   * declaration refused during a leader election, a consumer cancelled, a publish to a
   * missing exchange) would otherwise stay closed until the next reconnect: consumers
   * idle, publishes fail. Such a channel is opened again here, with back-off; a setup
   * that fails closes its channel so that it takes the same way back.
   */
  createChannel(options: CreateChannelOpts): ChannelWrapper {
    const setup = options.setup as ((channel: ConfirmChannel) => Promise<void>) | undefined;
    let open: ConfirmChannel | undefined;
    let wrapperClosed = false;
    let failures = 0;
    /** One reopen at a time: a close and a failed reopen must not open two channels. */
    let reopening = false;
    const name = options.name;
    const stillWanted = (connection: unknown) => !wrapperClosed && !this.closed && this.manager.connection === connection;

    const reopenLater = (connection: unknown, openedAt: number) => {
      if (reopening) return;
      reopening = true;
      if (Date.now() - openedAt > CHANNEL_STABLE_MS) failures = 0;
      const delay = Math.min(CHANNEL_RETRY_MAX_MS, CHANNEL_RETRY_FIRST_MS * 2 ** failures++);
      setTimeout(() => {
        reopening = false;
        // Closed on purpose, already open again, or the connection itself went: a reconnect re-creates it.
        if (open || !stillWanted(connection)) return;
        this.logger.info({ channel: name, failures }, 'AMQP channel opening again');
        void this.reopen(wrapper, connection).then(() => {
          // The channel could not even be opened (its setup, which watches it, never ran): try again.
          if (!open && stillWanted(connection)) reopenLater(connection, Date.now());
        });
      }, delay).unref();
    };

    const wrapper: ChannelWrapper = this.manager.createChannel({
      ...options,
      setup: async (channel: ConfirmChannel) => {
        // A reopen that was under way when the wrapper closed: this channel is not wanted.
        if (wrapperClosed) {
          await channel.close().catch(() => undefined);
          return;
        }
        const connection = this.manager.connection;
        const openedAt = Date.now();
        open = channel;
        // Without a listener amqplib would rethrow a channel's error and take the connection, and every other channel, down with it.
        channel.on('error', (err: Error) => this.logger.warn({ err: err.message, channel: name }, 'AMQP channel closed by the broker'));
        channel.once('close', () => {
          if (open === channel) open = undefined;
          reopenLater(connection, openedAt);
        });
        // A declaration or consume the broker never answers (seen around leader elections) would hold the channel forever.
        const stuck = setTimeout(() => this.abandonSetup(channel, name), this.channelSetupTimeoutMs);
        try {
          await setup?.(channel);
        } catch (err) {
          await channel.close().catch(() => undefined);
          throw err;
        } finally {
          clearTimeout(stuck);
        }
      },
    });
    wrapper.once('close', () => (wrapperClosed = true));
    wrapper.on('error', (err: Error) => this.logger.warn({ err: err.message, channel: name }, 'AMQP channel setup failed; it is retried'));
    return wrapper;
  }

  /** Closes a channel stuck in its setup, so that it opens again; a channel that cannot even close takes the connection with it. */
  private abandonSetup(channel: ConfirmChannel, name: string | undefined): void {
    this.logger.warn({ channel: name, timeout_ms: this.channelSetupTimeoutMs }, 'AMQP channel setup did not finish; closing the channel');
    let closed = false;
    channel.once('close', () => (closed = true));
    void channel.close().catch(() => undefined);
    setTimeout(() => {
      if (closed || this.closed) return;
      this.logger.warn({ channel: name }, 'AMQP channel did not close; reconnecting');
      this.manager.reconnect();
    }, CHANNEL_CLOSE_TIMEOUT_MS).unref();
  }

  /**
   * Runs the wrapper's own connect path on the current connection: a new channel, every
   * setup, every consumer. amqp-connection-manager has no public call for one channel,
   * so without that internal the whole connection is re-established instead.
   */
  private async reopen(wrapper: ChannelWrapper, connection: unknown): Promise<void> {
    const internal = wrapper as unknown as { _onConnect?: (event: { connection: unknown }) => Promise<void> };
    if (typeof internal._onConnect !== 'function') {
      this.logger.warn('amqp-connection-manager internals changed: reconnecting to reopen a channel');
      this.manager.reconnect();
      return;
    }
    // Opening the channel itself may go unanswered too: give up on it after the setup timeout.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.channelSetupTimeoutMs).unref()));
    await Promise.race([internal._onConnect({ connection }), timeout]).finally(() => clearTimeout(timer));
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
