import { Injectable } from '@nestjs/common';
import { EventStore, JourneyLog, RecordedJourneyStep, isoTimestampSql } from '@todo/event-store';
import { DataSource } from 'typeorm';
import { TodoServiceConfig } from '../config/todo-service.config';

/** A step of a journey: one a service recorded, or an append or publish read from this service's store and outbox. */
export type JourneyEntry = Omit<RecordedJourneyStep, 'kind'> & { kind: RecordedJourneyStep['kind'] | 'append' | 'publish' };

/** A service asked for its steps, and what it answered. */
export interface JourneySource {
  url: string;
  /** Steps it gave; undefined when it could not be asked. */
  steps?: number;
  error?: string;
}

export interface Journey {
  correlation_id: string;
  steps: JourneyEntry[];
  sources: JourneySource[];
}

const PEER_TIMEOUT_MS = 2_000;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

interface OutboxRow {
  message_id: string;
  message_type: string;
  created_at: string;
  sent_at: string | null;
  attempts: number;
  last_error: string | null;
  trace_context: Record<string, string>;
}

/**
 * One request's journey, gathered when asked: this service's own steps (the request and the
 * command), the events it appended and their publishes from the outbox, and the steps every
 * other service took (GET /journeys/:id/steps, asked with the caller's token, so each
 * answers only what the caller may see). A service that cannot be asked is named in
 * `sources` with why; the rest of the journey is still shown.
 */
@Injectable()
export class JourneyReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly journey: JourneyLog,
    private readonly config: TodoServiceConfig,
  ) {}

  async read(correlationId: string, userId: number | undefined, authorization: string | undefined): Promise<Journey> {
    const [own, appended, ...peers] = await Promise.all([
      this.journey.read(correlationId, userId),
      this.appendsAndPublishes(correlationId, userId),
      ...this.config.journeyServiceUrls.map((url) => this.askPeer(url, correlationId, authorization)),
    ]);
    const steps = [...own, ...appended, ...peers.flatMap((peer) => peer.steps)];
    fillMailTraces(steps);
    steps.sort((a, b) => a.started_at.localeCompare(b.started_at) || RANK[a.kind] - RANK[b.kind]);
    return {
      correlation_id: correlationId,
      steps,
      sources: [{ url: 'self', steps: own.length + appended.length }, ...peers.map((peer) => peer.source)],
    };
  }

  private async appendsAndPublishes(correlationId: string, userId: number | undefined): Promise<JourneyEntry[]> {
    const events = await this.store.readCorrelation(this.dataSource.manager, correlationId, { userId });
    if (events.length === 0) return [];
    const outbox: OutboxRow[] = await this.dataSource.query(
      `SELECT message_id, message_type, ${isoTimestampSql('created_at')} AS created_at, ${isoTimestampSql('sent_at')} AS sent_at, attempts, last_error, trace_context
         FROM outbox WHERE message_id = ANY($1::text[])`,
      [events.map((e) => e.event.event_id)],
    );
    const publishes = new Map(outbox.map((row) => [row.message_id, row]));
    return events.flatMap(({ event, version, position }): JourneyEntry[] => {
      const published = publishes.get(event.event_id);
      const traceId = TRACEPARENT.exec(published?.trace_context?.traceparent ?? '')?.[1] ?? null;
      const base = { service: 'todo-service', message_id: event.event_id, message_type: event.event_type, trace_id: traceId };
      const append: JourneyEntry = {
        ...base,
        kind: 'append',
        name: `${event.aggregate_type} ${event.aggregate_id}`,
        attempt: null,
        outcome: 'appended',
        detail: `version ${version}, position ${position}`,
        started_at: event.occurred_at,
        duration_ms: 0,
      };
      if (!published) return [append];
      const publish: JourneyEntry = {
        ...base,
        kind: 'publish',
        name: 'outbox relay',
        attempt: published.attempts || null,
        outcome: published.sent_at ? 'published' : 'waiting',
        detail: published.last_error,
        started_at: published.created_at,
        duration_ms: published.sent_at ? Date.parse(published.sent_at) - Date.parse(published.created_at) : 0,
      };
      return [append, publish];
    });
  }

  private async askPeer(
    url: string,
    correlationId: string,
    authorization: string | undefined,
  ): Promise<{ steps: JourneyEntry[]; source: JourneySource }> {
    try {
      const response = await fetch(`${url}/journeys/${encodeURIComponent(correlationId)}/steps`, {
        headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
        signal: AbortSignal.timeout(PEER_TIMEOUT_MS),
      });
      if (!response.ok) return { steps: [], source: { url, error: `answered ${response.status}` } };
      const body = (await response.json()) as { steps?: unknown };
      const given: unknown[] = Array.isArray(body.steps) ? body.steps : [];
      const steps = given.filter(isStep);
      const malformed = given.length - steps.length;
      return { steps, source: { url, steps: steps.length, ...(malformed > 0 ? { error: `${malformed} malformed steps left out` } : {}) } };
    } catch (error) {
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return { steps: [], source: { url, error: reason } };
    }
  }
}

/** A peer's step with the fields the journey sorts and shows; anything else is left out, not a 500. */
function isStep(value: unknown): value is JourneyEntry {
  const step = value as Partial<Record<keyof JourneyEntry, unknown>>;
  return (
    typeof step === 'object' &&
    step !== null &&
    typeof step.service === 'string' &&
    typeof step.kind === 'string' &&
    step.kind in RANK &&
    typeof step.name === 'string' &&
    typeof step.outcome === 'string' &&
    typeof step.started_at === 'string' &&
    !Number.isNaN(Date.parse(step.started_at)) &&
    typeof step.duration_ms === 'number'
  );
}

/** Steps at one instant, in the order they happen. */
const RANK: Record<JourneyEntry['kind'], number> = { http: 0, command: 1, append: 2, publish: 3, message: 4, mail: 5 };

/** A mail is sent outside any span: it belongs to the trace of the message that decided it. */
function fillMailTraces(steps: JourneyEntry[]): void {
  const traces = new Map<string, string>();
  for (const step of steps) if (step.kind === 'message' && step.message_id && step.trace_id) traces.set(step.message_id, step.trace_id);
  for (const step of steps)
    if (step.kind === 'mail' && !step.trace_id && step.message_id) step.trace_id = traces.get(step.message_id) ?? null;
}
