import type { ClientBase } from 'pg';
import { EntityManager } from 'typeorm';
import { MessageKind } from '@todo/events';

/** The NOTIFY channel a commit that queued outbox entries signals on. */
export const OUTBOX_CHANNEL = 'outbox';

/** One committed message waiting to be published. */
export interface OutboxEntry {
  id: string;
  message_id: string;
  message_kind: MessageKind;
  message_type: string;
  /** Entries of one key are published in id order (an aggregate, a command's target). */
  aggregate_id: string;
  correlation_id: string;
  causation_id: string;
  /** The message as it travels, JSON text. */
  payload: string;
  trace_context: Record<string, string>;
  created_at: Date;
}

/** A message to queue in the caller's transaction. */
export interface OutboxMessage {
  messageId: string;
  kind: MessageKind;
  type: string;
  key: string;
  correlationId: string;
  causationId: string;
  payload: Record<string, unknown>;
  traceContext: Record<string, string>;
}

/** Longest wait before an entry the broker refused is tried again. */
const MAX_BACKOFF_SECONDS = 30;

/**
 * The outbox table's SQL, in one place: what is due (in id order, keeping each key's
 * order), marking entries sent, backing off the ones the broker refused, the backlog, and
 * queueing messages in a transaction.
 */
export const OutboxTable = {
  /**
   * Due entries in id order, leaving out the keys in `inFlight`. An entry that failed
   * before goes out alone: nothing of its key behind it is picked until it is sent, so a
   * retry is never overtaken.
   */
  async due(client: ClientBase, limit: number, inFlight: readonly string[]): Promise<OutboxEntry[]> {
    const { rows } = await client.query<OutboxEntry>(
      `SELECT o.id, o.message_id, o.message_kind, o.message_type, o.aggregate_id, o.correlation_id, o.causation_id,
              o.payload::text AS payload, o.trace_context, o.created_at
         FROM outbox o
        WHERE o.sent_at IS NULL AND o.next_attempt_at <= now()
          AND o.aggregate_id <> ALL($2::text[])
          AND NOT EXISTS (SELECT 1 FROM outbox e
                           WHERE e.sent_at IS NULL AND e.aggregate_id = o.aggregate_id AND e.id < o.id
                             AND (e.attempts > 0 OR e.next_attempt_at > now()))
        ORDER BY o.id LIMIT $1`,
      [limit, inFlight],
    );
    return rows;
  },

  async markSent(client: ClientBase, ids: readonly string[]): Promise<void> {
    await client.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  },

  /** Each entry waits on its own, twice as long after each refusal (0.1 s, 0.2 s, … up to 30 s). */
  async backOff(client: ClientBase, ids: readonly string[], reason: string): Promise<void> {
    await client.query(
      `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
              next_attempt_at = now() + make_interval(secs => least($3, 0.1 * power(2, attempts)))
        WHERE id = ANY($1::bigint[])`,
      [ids, reason, MAX_BACKOFF_SECONDS],
    );
  },

  /** Committed entries not yet confirmed by the broker, and the age of the oldest (0 when none). */
  async backlog(query: (sql: string) => Promise<{ n: number; age: number }[]>): Promise<{ entries: number; oldestAgeSeconds: number }> {
    const [row] = await query(
      `SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age FROM outbox WHERE sent_at IS NULL`,
    );
    return { entries: row.n, oldestAgeSeconds: row.age };
  },

  /**
   * Queues messages in the caller's transaction and wakes the relay at commit: they are
   * published if and only if the transaction commits.
   */
  async enqueue(manager: EntityManager, messages: readonly OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await manager.query(
      `WITH queued AS (
         INSERT INTO outbox (message_id, message_kind, message_type, aggregate_id, correlation_id, causation_id, payload, trace_context)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::json[], $8::jsonb[])
       )
       SELECT pg_notify($9, '')`,
      [
        messages.map((m) => m.messageId),
        messages.map((m) => m.kind),
        messages.map((m) => m.type),
        messages.map((m) => m.key),
        messages.map((m) => m.correlationId),
        messages.map((m) => m.causationId),
        messages.map((m) => JSON.stringify(m.payload)),
        messages.map((m) => JSON.stringify(m.traceContext)),
        OUTBOX_CHANNEL,
      ],
    );
  },
};
