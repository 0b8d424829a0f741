import { OnApplicationShutdown } from '@nestjs/common';
import { isDatabaseUnavailable } from '@todo/database';
import { JourneyRecorder, JourneyStep, JourneyStepKind, Logger } from '@todo/observability';
import { DataSource } from 'typeorm';

export const JOURNEY_STEP_KINDS: readonly JourneyStepKind[] = ['http', 'command', 'message', 'mail'];

export interface JourneyLogOptions {
  /** Steps waiting are written together at least this often. */
  flushIntervalMs?: number;
  /** Steps written in one statement; this many waiting starts a write at once. */
  maxBatch?: number;
  /** Steps at most held in memory while the database is away; beyond, the oldest are dropped. */
  maxPending?: number;
  /** Steps older than this are pruned. */
  retentionHours?: number;
  /** How often old steps are pruned. */
  pruneIntervalMs?: number;
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

const DEFAULTS: Required<JourneyLogOptions> = {
  flushIntervalMs: 200,
  maxBatch: 500,
  maxPending: 20_000,
  retentionHours: 72,
  pruneIntervalMs: 10 * 60_000,
};
/** After a write failed because the database is away: the first wait, doubled up to the last. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MOST_MS = 30_000;
const PRUNE_CHUNK = 10_000;
const READ_LIMIT = 5_000;
const INT4_MAX = 2_147_483_647;

/** A positive id the INTEGER columns can hold, or undefined. */
const int4 = (n: number | undefined) => (n !== undefined && Number.isInteger(n) && n > 0 && n <= INT4_MAX ? n : undefined);

/** A timestamptz column as the ISO-8601 UTC text JavaScript writes (so journey times sort as text). */
export const isoTimestampSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The service's journey steps, in its own schema (`journey_steps`). `record` only queues:
 * one background write at a time takes up to `maxBatch` steps in one statement, so noting
 * a step costs the work it describes no round trip. The steps are diagnostics. While the
 * database is away the queue waits (the write is tried again after 1 s, then 2, 4 … up to
 * 30 s; at most `maxPending` steps, the oldest dropped and counted); a write refused for
 * any other reason drops its batch with an error line rather than blocking the rest; and a
 * crash loses the steps not yet written — the last fraction of a second normally, more
 * during an outage. Never a message or a mail.
 */
export class JourneyLog extends JourneyRecorder implements OnApplicationShutdown {
  private readonly options: Required<JourneyLogOptions>;
  private pending: JourneyStep[] = [];
  private timer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  /** The one write in flight; flushes wait for it rather than starting another. */
  private flushing?: Promise<void>;
  /** While the database is away: no write before this time. */
  private retryAt = 0;
  private retryDelayMs = RETRY_FIRST_MS;
  private dropped = 0;
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
    this.pending.push(fitted(step));
    const excess = this.pending.length - this.options.maxPending;
    if (excess > 0) {
      this.pending.splice(0, excess);
      this.dropped += excess;
    }
    if (!this.pruneTimer) {
      this.pruneTimer = setInterval(() => void this.prune(), this.options.pruneIntervalMs);
      this.pruneTimer.unref();
    }
    this.schedule();
  }

  /** Writes the steps recorded so far (not those recorded meanwhile); a no-op while the database is away. */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.writeRecorded().finally(() => {
        this.flushing = undefined;
        this.schedule();
      });
    }
    return this.flushing;
  }

  /** The steps of one correlation id, oldest first; only `userId`'s unless undefined (an admin). */
  async read(correlationId: string, userId: number | undefined): Promise<RecordedJourneyStep[]> {
    // No step can belong to an id the column cannot hold.
    if (userId !== undefined && int4(userId) === undefined) return [];
    await this.flush();
    const rows: Omit<RecordedJourneyStep, 'service'>[] = await this.dataSource.query(
      `SELECT kind, name, message_id, message_type, attempt, outcome, detail,
              ${isoTimestampSql('started_at')} AS started_at, duration_ms, trace_id
         FROM journey_steps
        WHERE correlation_id = $1 AND ($2::int IS NULL OR user_id = $2::int)
        ORDER BY started_at, id
        LIMIT ${READ_LIMIT}`,
      [correlationId, userId ?? null],
    );
    return rows.map((row) => ({ service: this.service, ...row }));
  }

  /** Writes every step recorded (one try while the database is away), then takes no more. */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.retryAt = 0;
    // A flush in flight writes only what it found; the loop writes what came in meanwhile.
    while (this.flushing || (this.pending.length > 0 && this.retryAt === 0)) await this.flush();
    if (this.pending.length > 0) {
      this.logger.warn({ lost: this.pending.length }, 'Journey steps lost at shutdown: the database is away');
      this.pending = [];
    }
  }

  /** Arms the timer of the next write, unless one is armed or in flight (which re-arms when done). */
  private schedule(): void {
    if (this.closed || this.flushing || this.timer || this.pending.length === 0) return;
    const due = this.pending.length >= this.options.maxBatch ? 0 : this.options.flushIntervalMs;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.flush();
      },
      Math.max(due, this.retryAt - Date.now()),
    );
    this.timer.unref();
  }

  private async writeRecorded(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (Date.now() < this.retryAt) return;
    let left = this.pending.length;
    while (left > 0 && this.pending.length > 0) {
      const batch = this.pending.splice(0, Math.min(left, this.options.maxBatch));
      left -= batch.length;
      if (!(await this.write(batch))) return;
    }
  }

  /** False when the database is away: the batch is back at the front of the queue and the next write waits. */
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
          steps.map((s) => s.name),
          steps.map((s) => s.messageId ?? null),
          steps.map((s) => s.messageType ?? null),
          steps.map((s) => s.attempt ?? null),
          steps.map((s) => s.outcome),
          steps.map((s) => s.detail ?? null),
          steps.map((s) => s.startedAt.toISOString()),
          steps.map((s) => s.durationMs),
          steps.map((s) => s.traceId ?? null),
        ],
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (isDatabaseUnavailable(error)) {
        this.pending.unshift(...steps);
        this.retryAt = Date.now() + this.retryDelayMs;
        this.logger.warn({ err: reason, waiting: this.pending.length, retry_in_ms: this.retryDelayMs }, 'Journey steps not written yet');
        this.retryDelayMs = Math.min(this.retryDelayMs * 2, RETRY_MOST_MS);
        return false;
      }
      this.logger.error({ err: reason, steps: steps.length }, 'Journey steps refused; dropped');
      return true;
    }
    this.retryAt = 0;
    this.retryDelayMs = RETRY_FIRST_MS;
    if (this.dropped > 0) {
      this.logger.warn({ dropped: this.dropped }, 'Journey steps dropped while they could not be written');
      this.dropped = 0;
    }
    return true;
  }

  /** Deletes expired steps a chunk at a time, beside the writes (never in their way). */
  private async prune(): Promise<void> {
    try {
      for (;;) {
        const [, deleted] = (await this.dataSource.query(
          `DELETE FROM journey_steps WHERE id IN (
             SELECT id FROM journey_steps WHERE started_at < now() - make_interval(hours => $1) LIMIT ${PRUNE_CHUNK})`,
          [this.options.retentionHours],
        )) as [unknown, number];
        if (this.closed || deleted < PRUNE_CHUNK) return;
      }
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'Old journey steps not pruned');
    }
  }
}

/** A step cut to the table's columns, so that no value can make a batch fail. */
function fitted(step: JourneyStep): JourneyStep {
  const cut = (text: string | undefined, max: number) => (text === undefined ? undefined : text.slice(0, max));
  return {
    ...step,
    correlationId: step.correlationId.slice(0, 255),
    userId: int4(step.userId),
    name: step.name.slice(0, 255),
    messageId: cut(step.messageId, 255),
    messageType: cut(step.messageType, 100),
    attempt: int4(step.attempt),
    outcome: step.outcome.slice(0, 20),
    detail: cut(step.detail, 2_000),
    durationMs: Number.isFinite(step.durationMs) && step.durationMs > 0 ? step.durationMs : 0,
    traceId: cut(step.traceId, 32),
  };
}
