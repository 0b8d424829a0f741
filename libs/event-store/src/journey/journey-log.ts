import { OnApplicationShutdown } from '@nestjs/common';
import { JourneyRecorder, JourneyStep, JourneyStepKind, Logger } from '@todo/observability';

export const JOURNEY_STEP_KINDS: readonly JourneyStepKind[] = ['http', 'command', 'message', 'mail'];
import { DataSource } from 'typeorm';

export interface JourneyLogOptions {
  /** Steps waiting are written together at least this often. */
  flushIntervalMs?: number;
  /** Steps written in one statement; more than this waiting starts a write at once. */
  maxBatch?: number;
  /** Steps at most held in memory while the database is away; older ones are dropped. */
  maxPending?: number;
  /** Steps older than this are pruned. */
  retentionHours?: number;
}

/** A journey step as read back: what was recorded, plus which service recorded it. */
export interface RecordedJourneyStep {
  service: string;
  kind: JourneyStepKind;
  name: string;
  message_id: string | null;
  message_type: string | null;
  attempt: number | null;
  outcome: string;
  detail: string | null;
  started_at: string;
  duration_ms: number;
  trace_id: string | null;
}

const DEFAULTS = { flushIntervalMs: 200, maxBatch: 500, maxPending: 20_000, retentionHours: 72 };
const PRUNE_EVERY_MS = 10 * 60_000;
const DETAIL_LIMIT = 2_000;

/**
 * The service's journey steps, in its own schema (`journey_steps`). `record` only queues:
 * the steps are written in the background, many per statement, so noting them costs the
 * work they describe no round trip. They are diagnostics: if the database is away the
 * queue waits (up to `maxPending`, then the oldest are dropped and counted in a warning),
 * and a crash loses the last fraction of a second of them, never a message or a mail.
 */
export class JourneyLog extends JourneyRecorder implements OnApplicationShutdown {
  private readonly options: Required<JourneyLogOptions>;
  private pending: JourneyStep[] = [];
  private timer?: NodeJS.Timeout;
  private writing?: Promise<boolean>;
  private dropped = 0;
  private lastPrune = 0;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly service: string,
    private readonly logger: Logger,
    options: JourneyLogOptions = {},
  ) {
    super();
    this.options = { ...DEFAULTS, ...options };
  }

  record(step: JourneyStep): void {
    if (this.closed) return;
    this.pending.push(step);
    if (this.pending.length > this.options.maxPending) {
      this.dropped += this.pending.length - this.options.maxPending;
      this.pending.splice(0, this.pending.length - this.options.maxPending);
    }
    if (this.pending.length >= this.options.maxBatch) this.flushSoon(0);
    else this.flushSoon(this.options.flushIntervalMs);
  }

  /** Writes every step recorded so far. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    while (this.pending.length > 0) {
      this.writing = this.write(this.pending.splice(0, this.options.maxBatch));
      const written = await this.writing;
      this.writing = undefined;
      if (!written) break;
    }
  }

  /** The steps of one correlation id, oldest first; only `userId`'s unless undefined (an admin). */
  async read(correlationId: string, userId: number | undefined): Promise<RecordedJourneyStep[]> {
    await this.flush();
    const rows: Omit<RecordedJourneyStep, 'service'>[] = await this.dataSource.query(
      `SELECT kind, name, message_id, message_type, attempt, outcome, detail,
              to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at, duration_ms, trace_id
         FROM journey_steps
        WHERE correlation_id = $1 AND ($2::int IS NULL OR user_id = $2::int)
        ORDER BY started_at, id
        LIMIT 5000`,
      [correlationId, userId ?? null],
    );
    return rows.map((row) => ({ service: this.service, ...row }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private flushSoon(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }

  /** Never throws: a step that could not be written goes back to the queue. */
  private async write(steps: JourneyStep[]): Promise<boolean> {
    try {
      await this.dataSource.query(
        `INSERT INTO journey_steps
           (correlation_id, user_id, kind, name, message_id, message_type, attempt, outcome, detail, started_at, duration_ms, trace_id)
         SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[],
                              $9::text[], $10::timestamptz[], $11::float8[], $12::text[])`,
        [
          steps.map((s) => s.correlationId),
          steps.map((s) => s.userId ?? null),
          steps.map((s) => s.kind),
          steps.map((s) => s.name.slice(0, 255)),
          steps.map((s) => s.messageId ?? null),
          steps.map((s) => s.messageType ?? null),
          steps.map((s) => s.attempt ?? null),
          steps.map((s) => s.outcome.slice(0, 20)),
          steps.map((s) => (s.detail === undefined ? null : s.detail.slice(0, DETAIL_LIMIT))),
          steps.map((s) => s.startedAt.toISOString()),
          steps.map((s) => s.durationMs),
          steps.map((s) => s.traceId ?? null),
        ],
      );
      if (this.dropped > 0) {
        this.logger.warn({ dropped: this.dropped }, 'Journey steps dropped while they could not be written');
        this.dropped = 0;
      }
    } catch (error) {
      // Back to the front of the queue; the next step recorded (or the next flush) tries again.
      this.pending.unshift(...steps);
      if (!this.closed) this.flushSoon(Math.max(this.options.flushIntervalMs, 1_000));
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error), steps: steps.length },
        'Journey steps not written yet',
      );
      return false;
    }
    await this.pruneNowAndThen();
    return true;
  }

  private async pruneNowAndThen(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    try {
      await this.dataSource.query(`DELETE FROM journey_steps WHERE started_at < now() - make_interval(hours => $1)`, [
        this.options.retentionHours,
      ]);
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'Old journey steps not pruned');
    }
  }
}
