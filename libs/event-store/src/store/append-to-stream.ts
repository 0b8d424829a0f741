import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { NewEvent, PlatformEvent } from '@todo/events';
import { isUniqueViolation } from '@todo/database';
import { currentTraceCarrier } from '@todo/observability';
import { OUTBOX_CHANNEL } from '../outbox/outbox-table';
import { ConcurrencyError } from './concurrency.error';
import { Causation } from './stored-event';

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

const STREAM_VERSION_CONSTRAINT = 'events_stream_version_key';

/** Turns a request into its events, in the caller's context (its trace goes into the outbox). */
export function prepareAppend(request: AppendRequest): PreparedAppend {
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
export async function appendAll(manager: EntityManager, prepared: readonly PreparedAppend[]): Promise<PlatformEvent[][]> {
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
