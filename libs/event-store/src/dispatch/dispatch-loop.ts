/**
 * What one pass of work found:
 * - `empty`: nothing is due (whoever waits for idleness is told);
 * - `drained`: this pass took all it could, so sleep until woken or the poll;
 * - `more`: more may be due, go again at once;
 * - `failed`: the downstream (broker, SMTP) is in trouble: back off, without waking early.
 */
export type PassResult = 'empty' | 'drained' | 'more' | 'failed';

export interface DispatchLoopOptions {
  /** One pass: claim what is due, deliver it, settle it. */
  pass: () => Promise<PassResult>;
  /** Safety net for a missed wake-up: the loop never busy-polls. */
  pollIntervalMs: number;
  /** A pass that threw (the database went away): the loop backs off and tries again. */
  onError: (error: unknown) => Promise<void> | void;
  /** After the last pass, once stop() was called: finish what is due, within its own bound. */
  drain?: () => Promise<void>;
  /** Last of all, when the loop has ended. */
  stopped?: () => Promise<void>;
  maxBackoffMs?: number;
}

const FIRST_BACKOFF_MS = 100;

/**
 * The one way work that follows a commit is carried out — the outbox relay publishing
 * messages, the mail dispatcher sending mails: sleep until woken (a NOTIFY, an
 * after-commit hook) or until the poll interval passes, then run passes until nothing is
 * due; back off (100 ms, doubling, up to 5 s) when the downstream fails or a pass throws;
 * on stop, drain and end. Each user keeps only what differs: how it claims, delivers and
 * settles its rows.
 */
export class DispatchLoop {
  private stopping = false;
  private wakeRequested = false;
  private wakeSleeper?: () => void;
  private loop?: Promise<void>;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: DispatchLoopOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the passes, drains, and resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Work may be due: cut a sleep short (not a back-off). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeSleeper?.();
  }

  /** Resolves the next time a pass finds nothing due. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wake();
    });
  }

  private async run(): Promise<void> {
    const maxBackoffMs = this.options.maxBackoffMs ?? 5_000;
    let backoffMs = FIRST_BACKOFF_MS;
    while (!this.stopping) {
      let result: PassResult;
      try {
        this.wakeRequested = false;
        result = await this.options.pass();
      } catch (error) {
        await this.options.onError(error);
        result = 'failed';
      }
      if (result === 'failed') {
        await this.sleep(backoffMs, false);
        backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
        continue;
      }
      backoffMs = FIRST_BACKOFF_MS;
      if (result === 'empty') this.settleIdleWaiters();
      if (result !== 'more') await this.sleep(this.options.pollIntervalMs, true);
    }
    await this.options.drain?.();
    await this.options.stopped?.();
  }

  /** Waits `ms`; a wake-up cuts it short when `wakeable`, stop() always does. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (wakeable && this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeSleeper = () => {
        if (wakeable || this.stopping) finish();
      };
    });
  }

  private settleIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  }
}
