import { randomUUID } from 'node:crypto';
import { EntityManager, QueryFailedError } from 'typeorm';
import { NewEvent, PlatformEvent, validateEvent } from '@todo/events';
import { Headers } from '@todo/messaging';
import { currentTraceCarrier, inSpan } from '@todo/observability';
import { ConcurrencyError } from './concurrency.error';
import { Causation, StoredEvent } from './stored-event';
import { OUTBOX_CHANNEL } from '../outbox/outbox-relay';

export interface AppendRequest {
  streamId: string;
  streamType: string;
  /** The stream version the decision was made on; 0 for a new stream. */
  expectedVersion: number;
  events: readonly NewEvent<PlatformEvent>[];
  causation: Causation;
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
 */
export class EventStore {
  constructor(private readonly exchange: string) {}

  async readStream<TEvent extends PlatformEvent = PlatformEvent>(
    manager: EntityManager,
    streamId: string,
  ): Promise<StoredEvent<TEvent>[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT id, event_id, event_type, event_version, aggregate_id, aggregate_type, event_data, metadata, timestamp, version, global_position
         FROM events WHERE aggregate_id = $1 ORDER BY version`,
      [streamId],
    );
    return rows.map((row) => toStoredEvent<TEvent>(row));
  }

  /**
   * Appends events at expectedVersion + 1, + 2, ... and queues them for publishing.
   * Must run inside a transaction (`manager` from `dataSource.transaction`).
   * @throws ConcurrencyError when another writer got there first.
   */
  async append(manager: EntityManager, request: AppendRequest): Promise<PlatformEvent[]> {
    if (request.events.length === 0) return [];
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
      () => this.appendInSpan(manager, request),
    );
  }

  private async appendInSpan(manager: EntityManager, request: AppendRequest): Promise<PlatformEvent[]> {
    const traceContext = JSON.stringify(currentTraceCarrier());
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

    const eventValues: unknown[] = [];
    const eventRows = request.events.map((e, i) => {
      const p = eventValues.length;
      eventValues.push(
        events[i].event_id,
        e.type,
        e.version,
        request.streamId,
        request.streamType,
        JSON.stringify(e.data),
        JSON.stringify({ correlation_id: request.causation.correlationId, causation_id: request.causation.causationId }),
        occurredAt,
        request.expectedVersion + i + 1,
      );
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8}, $${p + 9})`;
    });
    try {
      await manager.query(
        `INSERT INTO events (event_id, event_type, event_version, aggregate_id, aggregate_type, event_data, metadata, timestamp, version)
         VALUES ${eventRows.join(', ')}`,
        eventValues,
      );
    } catch (error) {
      if (isUniqueViolation(error, STREAM_VERSION_CONSTRAINT)) {
        throw new ConcurrencyError(request.streamId, request.expectedVersion);
      }
      throw error;
    }

    const outboxValues: unknown[] = [];
    const outboxRows = events.map((event) => {
      const p = outboxValues.length;
      outboxValues.push(event.event_id, event.aggregate_id, this.exchange, event.event_type, JSON.stringify(event), JSON.stringify(headersOf(event)), traceContext);
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7})`;
    });
    await manager.query(
      `INSERT INTO outbox (event_id, aggregate_id, exchange, routing_key, payload, headers, trace_context) VALUES ${outboxRows.join(', ')}`,
      outboxValues,
    );
    // Delivered at commit, and only if the transaction commits.
    await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
    // Last, because it takes the one position lock until commit: positions follow commit order.
    await manager.query(
      `WITH bumped AS (UPDATE event_positions SET last = last + $3 WHERE id = 1 RETURNING last)
       UPDATE events SET global_position = (SELECT last FROM bumped) - $3 + (version - $2)
        WHERE aggregate_id = $1 AND version > $2`,
      [request.streamId, request.expectedVersion, events.length],
    );
    return events;
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
  async readAll(
    manager: EntityManager,
    { after, limit, type }: { after: number; limit: number; type?: string },
  ): Promise<StoredEvent[]> {
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

function headersOf(event: PlatformEvent): Record<string, string | number> {
  return {
    [Headers.EventType]: event.event_type,
    [Headers.EventVersion]: event.event_version,
    [Headers.AggregateId]: event.aggregate_id,
    [Headers.CorrelationId]: event.correlation_id,
    [Headers.CausationId]: event.causation_id,
  };
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

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}
