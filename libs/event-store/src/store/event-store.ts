import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { NewEvent, PlatformEvent, validateEvent } from '@todo/events';
import { currentTraceCarrier, inSpan } from '@todo/observability';
import { ConcurrencyError } from './concurrency.error';
import { isUniqueViolation } from '@todo/database';
import { Causation, StoredEvent } from './stored-event';
import { OUTBOX_CHANNEL } from '../outbox/outbox-table';

export interface AppendRequest {
  streamId: string;
  streamType: string;
  /** The stream version the decision was made on; 0 for a new stream. */
  expectedVersion: number;
  events: readonly NewEvent<PlatformEvent>[];
  causation: Causation;
}

/** An append request with its events made, ready to be written. */
export interface PreparedAppend {
  request: AppendRequest;
  events: PlatformEvent[];
  /** W3C trace context of the append, for the outbox entry. */
  traceContext: string;
}

interface EventRow {
  id: string;
  event_id: string;
  event_type: string;
  event_version: number;
  aggregate_id: string;
  aggregate_type: string;
  event_data: Record<string, unknown>;
  metadata: { correlation_id: string; causation_id: string };
  timestamp: Date;
  version: number;
  global_position: string;
}

const STREAM_VERSION_CONSTRAINT = 'events_stream_version_key';

/**
 * The PostgreSQL event store. Appending writes the events and their outbox entries
 * in the caller's transaction, so an event is published if and only if it is stored.
 * It knows no broker: an outbox entry says what the message is, and the relay decides
 * where and how it travels.
 */
export class EventStore {
  async readStream<TEvent extends PlatformEvent = PlatformEvent>(manager: EntityManager, streamId: string): Promise<StoredEvent<TEvent>[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT id, event_id, event_type, event_version, aggregate_id, aggregate_type, event_data, metadata, timestamp, version, global_position
         FROM events WHERE aggregate_id = $1 ORDER BY version`,
      [streamId],
    );
    return rows.map((row) => toStoredEvent<TEvent>(row));
  }

  /**
   * Appends events at expectedVersion + 1, + 2, ... and queues them for publishing.
   * It is one statement, so it is atomic on its own; run it in the caller's transaction
   * (`manager` from `dataSource.transaction`) when other writes must commit with it.
   * @throws ConcurrencyError when another writer got there first.
   */
  async append(manager: EntityManager, request: AppendRequest): Promise<PlatformEvent[]> {
    if (request.events.length === 0) return [];
    return this.inAppendSpan(request, async () => (await this.appendAll(manager, [this.prepare(request)]))[0]);
  }

  /** The span of one append, named after the stream type, with what a trace reader looks for. */
  inAppendSpan<T>(request: AppendRequest, work: () => Promise<T>): Promise<T> {
    return inSpan(
      `append ${request.streamType}`,
      {
        attributes: {
          'db.system.name': 'postgresql',
          'todo.aggregate_id': request.streamId,
          'todo.correlation_id': request.causation.correlationId,
          'todo.event_types': request.events.map((e) => e.type).join(','),
        },
      },
      work,
    );
  }

  /** Turns a request into its events, in the caller's context (its trace goes into the outbox). */
  prepare(request: AppendRequest): PreparedAppend {
    const occurredAt = new Date().toISOString();
    const events = request.events.map(
      (e, i) =>
        ({
          event_id: randomUUID(),
          event_type: e.type,
          event_version: e.version,
          aggregate_id: request.streamId,
          aggregate_type: request.streamType,
          aggregate_version: request.expectedVersion + i + 1,
          occurred_at: occurredAt,
          correlation_id: request.causation.correlationId,
          causation_id: request.causation.causationId,
          ...e.data,
        }) as PlatformEvent,
    );
    return { request, events, traceContext: JSON.stringify(currentTraceCarrier()) };
  }

  /**
   * Appends several prepared requests in one statement, so one round trip: take the
   * position lock, store the events at their positions, queue them in the outbox, and
   * wake the relay at commit. The position is read before any row is written, so
   * every append takes the one lock first and holds it until commit: positions follow
   * commit order, and two writers of one stream cannot deadlock (the second finds the
   * version taken once the first commits). All or nothing: one request whose version
   * is taken fails them all.
   * @throws ConcurrencyError when a stream's version is taken (naming the first request's stream).
   */
  async appendAll(manager: EntityManager, prepared: readonly PreparedAppend[]): Promise<PlatformEvent[][]> {
    const total = prepared.reduce((n, p) => n + p.events.length, 0);
    if (total === 0) return prepared.map(() => []);
    const values: unknown[] = [total, OUTBOX_CHANNEL];
    const rows: string[] = [];
    for (const { request, events, traceContext } of prepared) {
      const metadata = JSON.stringify({ correlation_id: request.causation.correlationId, causation_id: request.causation.causationId });
      events.forEach((event, i) => {
        const p = values.length;
        values.push(
          rows.length,
          event.event_id,
          event.event_type,
          event.event_version,
          event.aggregate_id,
          event.aggregate_type,
          JSON.stringify(request.events[i].data),
          metadata,
          event.occurred_at,
          event.aggregate_version,
          JSON.stringify(event),
          event.correlation_id,
          event.causation_id,
          traceContext,
        );
        const casts = [
          'int',
          'varchar',
          'varchar',
          'int',
          'varchar',
          'varchar',
          'jsonb',
          'jsonb',
          'timestamptz',
          'int',
          'json',
          'varchar',
          'varchar',
          'jsonb',
        ];
        rows.push(`(${casts.map((cast, k) => `$${p + k + 1}::${cast}`).join(', ')})`);
      });
    }
    try {
      await manager.query(
        `WITH position AS (
           UPDATE event_positions SET last = last + $1 WHERE id = 1 RETURNING last
         ), appended (n, event_id, event_type, event_version, aggregate_id, aggregate_type, event_data, metadata, occurred_at, version, payload, correlation_id, causation_id, trace_context) AS (
           VALUES ${rows.join(', ')}
         ), stored AS (
           INSERT INTO events (event_id, event_type, event_version, aggregate_id, aggregate_type, event_data, metadata, timestamp, version, global_position)
           SELECT a.event_id, a.event_type, a.event_version, a.aggregate_id, a.aggregate_type, a.event_data, a.metadata, a.occurred_at, a.version,
                  p.last - $1 + 1 + a.n
             FROM appended a CROSS JOIN position p
         ), queued AS (
           INSERT INTO outbox (message_id, message_kind, message_type, aggregate_id, correlation_id, causation_id, payload, trace_context)
           SELECT a.event_id, 'event', a.event_type, a.aggregate_id, a.correlation_id, a.causation_id, a.payload, a.trace_context
             FROM appended a ORDER BY a.n
         )
         SELECT pg_notify($2, '')`,
        values,
      );
    } catch (error) {
      if (isUniqueViolation(error, STREAM_VERSION_CONSTRAINT)) {
        throw new ConcurrencyError(prepared[0].request.streamId, prepared[0].request.expectedVersion);
      }
      throw error;
    }
    return prepared.map((p) => p.events);
  }

  /** Global position of the latest committed event (0 for an empty store): how far a reader has to go. */
  async headPosition(manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`SELECT last FROM event_positions WHERE id = 1`);
    return Number(row?.last ?? 0);
  }

  /** Every event of one business flow, in commit order (indexed by metadata->>'correlation_id'). */
  async readCorrelation(manager: EntityManager, correlationId: string): Promise<StoredEvent[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT id, event_id, event_type, event_version, aggregate_id, aggregate_type, event_data, metadata, timestamp, version, global_position
         FROM events WHERE metadata->>'correlation_id' = $1 AND global_position IS NOT NULL ORDER BY global_position`,
      [correlationId],
    );
    return rows.map((row) => toStoredEvent(row));
  }

  /**
   * Events of all streams after `position`, in commit order. A page never shows an
   * event and later one that committed before it, so a reader that remembers the last
   * position it saw misses nothing.
   */
  async readAll(manager: EntityManager, { after, limit, type }: { after: number; limit: number; type?: string }): Promise<StoredEvent[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT id, event_id, event_type, event_version, aggregate_id, aggregate_type, event_data, metadata, timestamp, version, global_position
         FROM events
        WHERE global_position > $1 AND ($2::text IS NULL OR event_type = $2)
        ORDER BY global_position LIMIT $3`,
      [after, type ?? null, limit],
    );
    return rows.map((row) => toStoredEvent(row));
  }
}

/**
 * Stored events are validated against their own version and upcast here, so readers
 * only see current shapes — and an event this code cannot read (a newer version
 * written during a rolling upgrade) fails loudly instead of being folded as is.
 */
function toStoredEvent<TEvent extends PlatformEvent>(row: EventRow): StoredEvent<TEvent> {
  const checked = validateEvent({
    event_id: row.event_id,
    event_type: row.event_type,
    event_version: row.event_version,
    aggregate_id: row.aggregate_id,
    aggregate_type: row.aggregate_type,
    aggregate_version: row.version,
    occurred_at: row.timestamp.toISOString(),
    correlation_id: row.metadata.correlation_id,
    causation_id: row.metadata.causation_id,
    ...row.event_data,
  });
  if (!checked.ok) throw new Error(`stored event ${row.event_id} cannot be read: ${checked.reason}`);
  return { position: Number(row.global_position), version: row.version, event: checked.event as TEvent };
}
