import { EntityManager } from 'typeorm';
import { PlatformEvent, validateEvent } from '@todo/events';
import { StoredEvent } from './stored-event';

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

/** What every read selects, in the shape `toStoredEvent` reads. */
const COLUMNS =
  'id, event_id, event_type, event_version, aggregate_id, aggregate_type, event_data, metadata, timestamp, version, global_position';

/** A stream's events in version order: the aggregate's history. */
export async function readStream<TEvent extends PlatformEvent = PlatformEvent>(
  manager: EntityManager,
  streamId: string,
): Promise<StoredEvent<TEvent>[]> {
  const rows: EventRow[] = await manager.query(
    `SELECT ${COLUMNS}
       FROM events WHERE aggregate_id = $1 ORDER BY version`,
    [streamId],
  );
  return rows.map((row) => toStoredEvent<TEvent>(row));
}

/** What a read of many streams may be narrowed to: one event type, one user's events (by their `user_id`). */
export interface EventFilter {
  type?: string;
  userId?: number;
}

/**
 * Events of all streams after `position`, in commit order. A page never shows an
 * event and later one that committed before it, so a reader that remembers the last
 * position it saw misses nothing.
 */
export async function readAll(
  manager: EntityManager,
  { after, limit, type, userId }: { after: number; limit: number } & EventFilter,
): Promise<StoredEvent[]> {
  const rows: EventRow[] = await manager.query(
    `SELECT ${COLUMNS}
       FROM events
      WHERE global_position > $1 AND ($2::text IS NULL OR event_type = $2) AND ($4::text IS NULL OR event_data->>'user_id' = $4)
      ORDER BY global_position LIMIT $3`,
    [after, type ?? null, limit, userId === undefined ? null : String(userId)],
  );
  return rows.map((row) => toStoredEvent(row));
}

/** Every event of one business flow, in commit order (indexed by metadata->>'correlation_id'). */
export async function readCorrelation(manager: EntityManager, correlationId: string, { userId }: EventFilter = {}): Promise<StoredEvent[]> {
  const rows: EventRow[] = await manager.query(
    `SELECT ${COLUMNS}
       FROM events
      WHERE metadata->>'correlation_id' = $1 AND global_position IS NOT NULL AND ($2::text IS NULL OR event_data->>'user_id' = $2)
      ORDER BY global_position`,
    [correlationId, userId === undefined ? null : String(userId)],
  );
  return rows.map((row) => toStoredEvent(row));
}

/** Global position of the latest committed event (0 for an empty store): how far a reader has to go. */
export async function headPosition(manager: EntityManager): Promise<number> {
  const [row] = await manager.query(`SELECT last FROM event_positions WHERE id = 1`);
  return Number(row?.last ?? 0);
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
