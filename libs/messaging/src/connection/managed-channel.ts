import type { AmqpConnectionManager, ChannelWrapper, CreateChannelOpts } from 'amqp-connection-manager';
import type { ChannelModel, ConfirmChannel, Replies } from 'amqplib';
import { Logger } from '@todo/observability';

/** A channel the broker closed is opened again after 0.5 s, 1 s, 2 s … up to 15 s. */
const CHANNEL_RETRY_FIRST_MS = 500;
const CHANNEL_RETRY_MAX_MS = 15_000;
/** How long a channel being closed may take to confirm it. */
const CHANNEL_CLOSE_TIMEOUT_MS = 5_000;
/** A channel that stayed open this long starts its back-off afresh when it next closes. */
const CHANNEL_STABLE_MS = 10_000;

export interface ManagedChannelOptions extends CreateChannelOpts {
  setup: (channel: ConfirmChannel) => Promise<void>;
}

export interface ManagedChannelContext {
  manager: AmqpConnectionManager;
  logger: Logger;
  /** A channel whose setup has not finished by then is closed and opened again. */
  setupTimeoutMs: number;
  /** True once the connection itself was closed on purpose. */
  connectionClosed(): boolean;
}

/**
 * A channel that keeps itself open, for the connection's consumers and publishers.
 *
 * amqp-connection-manager's ChannelWrapper re-creates its channel after a reconnect, but a
 * channel the broker closes while the connection stays up (a declaration refused during a
 * leader election, a consumer cancelled, a publish to a missing exchange) stays closed
 * until the next reconnect: consumers idle, publishes fail. The wrapper has no public call
 * to open one channel again, so this handle replaces the wrapper instead: after a back-off
 * it closes the spent one and asks the manager for a new one, which opens its channel on
 * the current connection at once and runs the setup there. Nobody else's channel, and not
 * the connection, is touched. A setup that fails closes its channel so that it takes the
 * same way back; a setup the broker never answers is abandoned after the setup timeout.
 *
 * Keep the handle, not a wrapper: the wrapper behind it changes.
 */
export class ManagedChannel {
  private wrapper: ChannelWrapper;
  /** The channel whose setup ran, while it is open. */
  private open?: ConfirmChannel;
  private ready = false;
  private closed = false;
  private failures = 0;
  /** One reopen at a time: a close and a failed reopen must not open two channels. */
  private reopening = false;
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly context: ManagedChannelContext,
    private readonly options: ManagedChannelOptions,
  ) {
    this.wrapper = this.createWrapper();
  }

  get name(): string | undefined {
    return this.options.name;
  }

  /** Resolves once a channel is open and its setup has finished (at once if it is). */
  waitForConnect(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.waiting.add(resolve));
  }

  /** Checks a queue on the open channel; rejects while there is none. */
  checkQueue(queue: string): Promise<Replies.AssertQueue> {
    return this.wrapper.checkQueue(queue);
  }

  /** Closes the channel for good: it is not opened again, after a reconnect either. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ready = false;
    await this.wrapper.close();
  }

  private createWrapper(): ChannelWrapper {
    const wrapper = this.context.manager.createChannel({
      ...this.options,
      setup: (channel: ConfirmChannel) => this.setUp(wrapper, channel),
    });
    wrapper.on('connect', () => {
      if (wrapper !== this.wrapper || this.closed) return;
      this.ready = true;
      for (const resolve of this.waiting) resolve();
      this.waiting.clear();
    });
    wrapper.on('error', (err: Error) =>
      this.context.logger.warn({ err: err.message, channel: this.name }, 'AMQP channel setup failed; it is retried'),
    );
    return wrapper;
  }

  private async setUp(wrapper: ChannelWrapper, channel: ConfirmChannel): Promise<void> {
    // A wrapper replaced or closed while it was opening this channel: the channel is not wanted.
    if (this.closed || wrapper !== this.wrapper) {
      await channel.close().catch(() => undefined);
      return;
    }
    const connection = this.context.manager.connection;
    const openedAt = Date.now();
    this.open = channel;
    // Without a listener amqplib would rethrow a channel's error and take the connection, and every other channel, down with it.
    channel.on('error', (err: Error) =>
      this.context.logger.warn({ err: err.message, channel: this.name }, 'AMQP channel closed by the broker'),
    );
    channel.once('close', () => {
      if (this.open === channel) {
        this.open = undefined;
        this.ready = false;
      }
      this.reopenLater(connection, openedAt);
    });
    // A declaration or consume the broker never answers (seen around leader elections) would hold the channel forever.
    const stuck = setTimeout(() => this.abandonSetup(channel), this.context.setupTimeoutMs);
    try {
      await this.options.setup(channel);
    } catch (err) {
      await channel.close().catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(stuck);
    }
  }

  /** Wanted again: not closed on purpose, and the connection it was opened on is still the current one (a reconnect re-creates it). */
  private stillWanted(connection: ChannelModel | undefined): boolean {
    return !this.closed && !this.context.connectionClosed() && this.context.manager.connection === connection;
  }

  private reopenLater(connection: ChannelModel | undefined, openedAt: number): void {
    if (this.reopening) return;
    this.reopening = true;
    if (Date.now() - openedAt > CHANNEL_STABLE_MS) this.failures = 0;
    const delay = Math.min(CHANNEL_RETRY_MAX_MS, CHANNEL_RETRY_FIRST_MS * 2 ** this.failures++);
    setTimeout(() => {
      this.reopening = false;
      // Already open again, or no longer wanted.
      if (this.open || !this.stillWanted(connection)) return;
      this.context.logger.info({ channel: this.name, failures: this.failures }, 'AMQP channel opening again');
      void this.reopen().then(() => {
        // The channel could not even be opened (its setup, which watches it, never ran): try again.
        if (!this.open && this.stillWanted(connection)) this.reopenLater(connection, Date.now());
      });
    }, delay).unref();
  }

  /** Replaces the spent wrapper by a new one, which opens its channel on the current connection; waits at most the setup timeout. */
  private async reopen(): Promise<void> {
    const spent = this.wrapper;
    this.wrapper = this.createWrapper();
    await spent.close().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.context.setupTimeoutMs).unref()));
    await Promise.race([this.wrapper.waitForConnect(), timeout]).finally(() => clearTimeout(timer));
  }

  /** Closes a channel stuck in its setup, so that it opens again; a channel that cannot even close takes the connection with it. */
  private abandonSetup(channel: ConfirmChannel): void {
    const { logger, setupTimeoutMs, manager } = this.context;
    logger.warn({ channel: this.name, timeout_ms: setupTimeoutMs }, 'AMQP channel setup did not finish; closing the channel');
    let closed = false;
    channel.once('close', () => (closed = true));
    void channel.close().catch(() => undefined);
    setTimeout(() => {
      if (closed || this.context.connectionClosed()) return;
      logger.warn({ channel: this.name }, 'AMQP channel did not close; reconnecting');
      manager.reconnect();
    }, CHANNEL_CLOSE_TIMEOUT_MS).unref();
  }
}
