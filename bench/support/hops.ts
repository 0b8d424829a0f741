/**
 * Where the time of case 5 goes, hop by hop: each command's schedule and answer as timed
 * by the load generator, its probe's sightings, and the systems' own timestamps in
 * PostgreSQL, for the platform and for the hand-written baseline.
 */
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { ANALYTICS_QUEUE, NOTIFICATION_QUEUE } from '@todo/messaging';
import type { HandWrittenSchemas } from '../hand-written/schema';
import type { Stack } from './stack';

/** A command as the load generator and the probe timed it (performance.now() ms). */
export interface TimedCommand {
  id: string;
  due: number;
  status?: number;
  answeredAt?: number;
  analyticsAt?: number;
  notificationAt?: number;
}

function p50(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1];
}

/**
 * When a command's event passed each hop, in epoch ms, from the systems' own now():
 * the append transaction (outbox created_at), the publish (outbox sent_at, set after the
 * broker confirmed), each consumer's inbox transaction (processed_at). now() is the start
 * of its transaction, so each hop ends when the next transaction began, and the last hop
 * (transaction → visible to the probe) holds the consumer's transaction itself.
 */
interface HopTimes {
  c: string;
  append: number;
  sent: number | null;
  notification: number | null;
  analytics: number | null;
}

export const HOPS = [
  'request → HTTP 201',
  'request → append transaction (outbox created_at)',
  'append → publish confirmed (outbox sent_at)',
  'publish → notification inbox transaction',
  'publish → analytics inbox transaction',
  'notification transaction → visible to the probe',
  'analytics transaction → visible to the probe',
] as const;
export type HopP50s = Record<(typeof HOPS)[number], number>;

export const HOP_NOTES: Record<(typeof HOPS)[number], string> = {
  'request → HTTP 201': 'scheduled send → answer read here, for reference: the answer follows the append commit',
  'request → append transaction (outbox created_at)':
    'scheduled send → the start of the append transaction (its now()): the HTTP path up to the transaction',
  'append → publish confirmed (outbox sent_at)':
    "the append transaction's start → the relay's UPDATE after the broker confirmed: the append itself and its commit, the relay waking (NOTIFY), its query, the publish and the confirm",
  'publish → notification inbox transaction':
    "outbox sent_at → the consumer's inbox transaction start; below zero when the message was delivered before the relay recorded its confirm (delivery waits for neither), and then the ratio says nothing",
  'publish → analytics inbox transaction': 'as for notification',
  'notification transaction → visible to the probe':
    "the consumer's transaction start → its rows seen by the probe: the transaction (the handler, any batching, the commit) and the probe's poll (every 2 ms, plus one query)",
  'analytics transaction → visible to the probe': 'as for notification',
};

const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

export function platformHopQuery({ todo, notification, analytics }: Stack['schemas']): string {
  return `
    SELECT e.metadata->>'correlation_id' AS c, ${epochMs('o.created_at')} AS append, ${epochMs('o.sent_at')} AS sent,
           ${epochMs('n.processed_at')} AS notification, ${epochMs('a.processed_at')} AS analytics
      FROM "${todo}".events e
      JOIN "${todo}".outbox o ON o.message_id = e.event_id
      LEFT JOIN "${notification}".inbox n ON n.consumer = '${NOTIFICATION_QUEUE.queue}' AND n.event_id = e.event_id
      LEFT JOIN "${analytics}".inbox a ON a.consumer = '${ANALYTICS_QUEUE.queue}' AND a.event_id = e.event_id
     WHERE e.metadata->>'correlation_id' = ANY($1::text[]) AND e.event_type = 'todo.created'`;
}

export function handWrittenHopQuery({ todo, notification, analytics }: HandWrittenSchemas): string {
  return `
    SELECT t.request_id AS c, ${epochMs('o.created_at')} AS append, ${epochMs('o.sent_at')} AS sent,
           ${epochMs('n.processed_at')} AS notification, ${epochMs('a.processed_at')} AS analytics
      FROM "${todo}".todos t
      JOIN "${todo}".outbox o ON o.payload->>'correlation_id' = t.request_id
      LEFT JOIN "${notification}".inbox n ON n.event_id = o.event_id
      LEFT JOIN "${analytics}".inbox a ON a.event_id = o.event_id
     WHERE t.request_id = ANY($1::text[])`;
}

/**
 * Date.now() − performance.now(), read just after Date.now() ticks over, so that it is
 * good to a few µs instead of a millisecond: it puts the schedule's times (performance.now)
 * on the databases' clock (the same machine's wall clock).
 */
function epochOffsetMs(): number {
  const start = Date.now();
  let now = Date.now();
  while (now === start) now = Date.now();
  return now - performance.now();
}

/** p50 of each hop over the commands answered 201 (their times from performance.now()); `query` is the system's hop query. */
export async function hopBreakdown(db: Client, query: string, commands: readonly TimedCommand[]): Promise<HopP50s> {
  const offset = epochOffsetMs();
  const ok = commands.filter((c) => c.status === 201);
  const { rows } = await db.query<HopTimes>(query, [ok.map((c) => c.id)]);
  const times = new Map(rows.map((r) => [r.c, r]));
  const hop = (of: (c: TimedCommand, t: HopTimes) => number | null) =>
    p50(
      ok.flatMap((c) => {
        const t = times.get(c.id);
        const value = t ? of(c, t) : null;
        return value === null || !Number.isFinite(value) ? [] : [value];
      }),
    );
  const at = (perf: number | undefined) => (perf === undefined ? null : perf + offset);
  const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  return {
    'request → HTTP 201': hop((c) => minus(at(c.answeredAt), at(c.due))),
    'request → append transaction (outbox created_at)': hop((c, t) => minus(t.append, at(c.due))),
    'append → publish confirmed (outbox sent_at)': hop((_, t) => minus(t.sent, t.append)),
    'publish → notification inbox transaction': hop((_, t) => minus(t.notification, t.sent)),
    'publish → analytics inbox transaction': hop((_, t) => minus(t.analytics, t.sent)),
    'notification transaction → visible to the probe': hop((c, t) => minus(at(c.notificationAt), t.notification)),
    'analytics transaction → visible to the probe': hop((c, t) => minus(at(c.analyticsAt), t.analytics)),
  };
}
