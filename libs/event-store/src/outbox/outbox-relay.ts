import { Client } from 'pg';
import { Headers, MessagePublisher, OutgoingMessage, PublishOutcome } from '@todo/messaging';
import { quoteIdent } from '@todo/database';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { Logger, PlatformMetrics, TRACER_NAME, contextFrom } from '@todo/observability';

/** The NOTIFY channel an append signals on commit. */
export const OUTBOX_CHANNEL = 'outbox';

export interface OutboxRelayOptions {
  /** PostgreSQL connection string. */
  databaseUrl: string;
  /** Schema holding the outbox table. */
  schema: string;
  publisher: MessagePublisher;
  logger: Logger;
  batchSize?: number;
  /** Safety net for a missed notification; the relay never busy-polls. */
  pollIntervalMs?: number;
  /** How long stop() keeps publishing what is already committed. */
  drainTimeoutMs?: number;
  metrics?: PlatformMetrics;
}

interface OutboxRow {
  id: string;
  event_id: string;
  aggregate_id: string;
  exchange: string;
  routing_key: string;
  payload: string;
  headers: Record<string, string | number>;
  trace_context: Record<string, string>;
  created_at: Date;
}

/**
 * `drained`: a batch smaller than the batch size went out, so nothing else was due when
 * it was selected; anything committed since has sent a NOTIFY.
 */
type BatchResult = 'empty' | 'published' | 'drained' | 'failed';

const MAX_BACKOFF_MS = 5_000;

/**
 * Publishes committed outbox entries to RabbitMQ and marks each sent only after the
 * broker confirmed it.
 *
 * - It selects every unsent entry in id order, not "id > last seen": a transaction
 *   that took a lower id but committed later is still picked up.
 * - One relay per schema is active at a time (a session advisory lock), so events of
 *   one aggregate are published in version order even with several instances.
 * - It sleeps on LISTEN until an append commits, with a slow poll as a safety net.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private client?: Client;
  private isLeader = false;
  private stopping = false;
  private wakeRequested = false;
  private wake?: () => void;
  private loop?: Promise<void>;
  private idleWaiters: (() => void)[] = [];
  private brokerAwayLogged = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 1_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
  }

  /** True while this relay holds the schema's relay lock and publishes. */
  get isActive(): boolean {
    return this.isLeader;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Publishes what is committed (within the drain timeout), then disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.notify();
    await this.loop;
  }

  /** Resolves the next time the relay finds the outbox empty (for tests and shutdown). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.notify();
    });
  }

  private async run(): Promise<void> {
    let backoffMs = 100;
    while (!this.stopping) {
      try {
        await this.connect();
        if (!this.isLeader) {
          await this.pause(this.pollIntervalMs, true);
          continue;
        }
        const result = await this.relayBatch();
        if (result === 'empty') {
          backoffMs = 100;
          this.settleIdleWaiters();
          await this.pause(this.pollIntervalMs, true);
        } else if (result === 'drained') {
          // No need to ask again unless an append committed meanwhile (its NOTIFY cuts this short).
          backoffMs = 100;
          await this.pause(this.pollIntervalMs, true);
        } else if (result === 'failed') {
          // New appends must not hurry a retry while the broker is away.
          await this.pause(backoffMs, false);
          backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        } else {
          backoffMs = 100;
        }
      } catch (error) {
        this.options.logger.warn({ err: (error as Error).message }, 'Outbox relay lost its database connection; retrying');
        await this.disconnect();
        await this.pause(backoffMs, false);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
    await this.drain();
    await this.disconnect();
  }

  private async drain(): Promise<void> {
    if (!this.client || !this.isLeader || !this.options.publisher.isConnected()) return;
    const deadline = Date.now() + (this.options.drainTimeoutMs ?? 5_000);
    try {
      while (Date.now() < deadline && (await this.relayBatch()) === 'published');
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message }, 'Outbox drain stopped early; entries stay queued');
    }
  }

  private async connect(): Promise<void> {
    if (!this.client) {
      const client = new Client({ connectionString: this.options.databaseUrl, keepAlive: true, statement_timeout: 30_000 });
      client.on('error', (err) => {
        this.options.logger.warn({ err: err.message }, 'Outbox relay connection error');
        if (this.client === client) this.client = undefined;
        this.isLeader = false;
        this.notify();
      });
      client.on('notification', () => this.notify());
      try {
        await client.connect();
        await client.query(`SET search_path TO ${quoteIdent(this.options.schema)}`);
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      this.client = client;
      this.isLeader = false;
    }
    if (!this.isLeader) {
      const [row] = (
        await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
          `${this.options.schema}.outbox-relay`,
        ])
      ).rows;
      this.isLeader = row.locked;
      if (this.isLeader) this.options.logger.info({ schema: this.options.schema }, 'Outbox relay active');
    }
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.isLeader = false;
    await client?.end().catch(() => undefined);
  }

  /**
   * Publishes due entries batch by batch until none is left. While the broker confirms
   * one batch, the next is selected and published: it leaves out every aggregate with
   * an entry in flight, so an event still goes out only after the earlier events of its
   * aggregate were confirmed (or in the same batch).
   */
  private async relayBatch(): Promise<BatchResult> {
    this.wakeRequested = false;
    let rows = await this.due([]);
    if (rows.length === 0) return 'empty';
    if (!this.options.publisher.isConnected()) {
      if (!this.brokerAwayLogged) {
        this.options.logger.warn({ waiting: rows.length }, 'Broker unavailable; outbox entries wait');
        this.brokerAwayLogged = true;
      }
      return 'failed';
    }
    this.brokerAwayLogged = false;
    let inFlight = this.publish(rows);
    // Only a batch selected with nothing left out tells that nothing else is due.
    let selectedWithExclusions = false;
    for (;;) {
      // A full batch means more may be waiting: select and send it while this one is confirmed.
      const next = rows.length === this.batchSize && !this.stopping ? await this.due(rows) : [];
      const following = next.length > 0 ? this.publish(next) : undefined;
      const result = await this.settle(rows, await inFlight);
      if (!following) return result === 'published' && rows.length < this.batchSize && !selectedWithExclusions ? 'drained' : result;
      if (result === 'failed') {
        await this.settle(next, await following);
        return 'failed';
      }
      rows = next;
      inFlight = following;
      selectedWithExclusions = true;
    }
  }

  /** Due entries in id order, leaving out the aggregates of `inFlight`. */
  private async due(inFlight: OutboxRow[]): Promise<OutboxRow[]> {
    // An entry that failed before goes out alone: nothing of its aggregate behind it is
    // picked until it is sent, so a retry is never overtaken.
    const { rows } = await this.client!.query<OutboxRow>(
      `SELECT o.id, o.event_id, o.aggregate_id, o.exchange, o.routing_key, o.payload::text AS payload, o.headers, o.trace_context, o.created_at
         FROM outbox o
        WHERE o.sent_at IS NULL AND o.next_attempt_at <= now()
          AND o.aggregate_id <> ALL($2::text[])
          AND NOT EXISTS (SELECT 1 FROM outbox e
                           WHERE e.sent_at IS NULL AND e.aggregate_id = o.aggregate_id AND e.id < o.id
                             AND (e.attempts > 0 OR e.next_attempt_at > now()))
        ORDER BY o.id LIMIT $1`,
      [this.batchSize, [...new Set(inFlight.map((r) => r.aggregate_id))]],
    );
    return rows;
  }

  /** Publishes a batch, each message continuing the trace of the request that appended it. */
  private async publish(rows: OutboxRow[]): Promise<PublishOutcome[]> {
    const tracer = trace.getTracer(TRACER_NAME);
    const spans = rows.map((row) =>
      tracer.startSpan(
        `publish ${row.routing_key}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'rabbitmq',
            'messaging.operation.type': 'send',
            'messaging.destination.name': row.exchange,
            'messaging.rabbitmq.destination.routing_key': row.routing_key,
            'messaging.message.id': row.event_id,
            'todo.event_id': row.event_id,
            'todo.event_type': String(row.headers[Headers.EventType] ?? row.routing_key),
            'todo.aggregate_id': row.aggregate_id,
            'todo.correlation_id': String(row.headers[Headers.CorrelationId] ?? ''),
            ...(this.options.metrics ? { 'todo.service': this.options.metrics.service } : {}),
          },
        },
        contextFrom(row.trace_context),
      ),
    );
    const messages: OutgoingMessage[] = rows.map((row, i) => {
      const traceHeaders: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), spans[i]), traceHeaders);
      return {
        exchange: row.exchange,
        routingKey: row.routing_key,
        messageId: row.event_id,
        body: Buffer.from(row.payload),
        type: String(row.headers[Headers.EventType] ?? row.routing_key),
        correlationId: String(row.headers[Headers.CorrelationId] ?? ''),
        headers: { ...row.headers, ...traceHeaders },
        timestamp: row.created_at,
      };
    });
    const outcomes = await this.options.publisher.publishAll(messages);
    outcomes.forEach((outcome, i) => {
      if (outcome.status !== 'confirmed')
        spans[i].setStatus({ code: SpanStatusCode.ERROR, message: `${outcome.status}: ${outcome.reason}` });
      spans[i].end();
    });
    return outcomes;
  }

  /** Marks the confirmed entries sent and backs off the others. */
  private async settle(rows: OutboxRow[], outcomes: PublishOutcome[]): Promise<BatchResult> {
    const client = this.client!;
    const sent: OutboxRow[] = [];
    const failed: { row: OutboxRow; reason: string }[] = [];
    const blocked = new Set<string>();
    outcomes.forEach((outcome, i) => {
      const row = rows[i];
      if (outcome.status !== 'confirmed') {
        failed.push({ row, reason: `${outcome.status}: ${outcome.reason}` });
        blocked.add(row.aggregate_id);
      } else if (!blocked.has(row.aggregate_id)) {
        sent.push(row);
      }
      // A confirmed entry behind a failed one of its aggregate stays unsent and goes out
      // again after it: consumers see it twice (the inbox absorbs that), in order last.
    });
    if (sent.length > 0) {
      await client.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])`, [sent.map((r) => r.id)]);
      for (const row of sent) {
        this.options.metrics?.eventsPublished.inc({ event_type: row.routing_key });
        this.options.logger.info(
          {
            event_id: row.event_id,
            event_type: row.headers[Headers.EventType],
            aggregate_id: row.aggregate_id,
            correlation_id: row.headers[Headers.CorrelationId],
          },
          'Event published',
        );
      }
    }
    if (failed.length > 0) {
      await client.query(
        `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
                next_attempt_at = now() + make_interval(secs => least(30, 0.1 * power(2, attempts)))
          WHERE id = ANY($1::bigint[])`,
        [failed.map((f) => f.row.id), failed[0].reason],
      );
      this.options.logger.warn(
        { failed: failed.length, event_ids: failed.slice(0, 10).map((f) => f.row.event_id), reason: failed[0].reason },
        'Outbox entries not published; each backs off on its own',
      );
      // Only when nothing went through is the broker itself in trouble: then pause.
      return sent.length === 0 ? 'failed' : 'published';
    }
    return 'published';
  }

  private notify(): void {
    this.wakeRequested = true;
    this.wake?.();
  }

  /** Waits `ms`; a NOTIFY cuts the wait short when `wakeOnNotify`, stop() always does. */
  private pause(ms: number, wakeOnNotify: boolean): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (wakeOnNotify && this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wake = () => {
        if (wakeOnNotify || this.stopping) finish();
      };
    });
  }

  private settleIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  }
}
