/**
 * The metadata every event carries. On the wire an event is one flat JSON object:
 * these fields and the payload's fields side by side, snake_case, as the seed's
 * embedded BaseEvent produces.
 */
export interface EventEnvelope<TType extends string = string, TVersion extends number = number> {
  /** Unique id of this event (uuid). Consumers deduplicate on it. */
  event_id: string;
  /** Also the routing key on the topic exchange, e.g. `todo.completed`. */
  event_type: TType;
  /** Schema version of the payload for this event type. */
  event_version: TVersion;
  /** Id of the stream (aggregate instance) the event belongs to, e.g. `todo-1`. */
  aggregate_id: string;
  aggregate_type: string;
  /**
   * Position of this event in its aggregate's stream, from 1. Consumers that keep a
   * read model use it to ignore an event older than what they already applied.
   */
  aggregate_version: number;
  /** ISO-8601 instant the event happened. */
  occurred_at: string;
  /** Id of the business flow (the originating HTTP request id). */
  correlation_id: string;
  /** Id of the request or message that directly caused this event. */
  causation_id: string;
}

export const ENVELOPE_FIELDS = [
  'event_id',
  'event_type',
  'event_version',
  'aggregate_id',
  'aggregate_type',
  'aggregate_version',
  'occurred_at',
  'correlation_id',
  'causation_id',
] as const satisfies readonly (keyof EventEnvelope)[];

/** The payload part of a flat event: everything that is not envelope. */
export type EventData<TEvent extends EventEnvelope> = Omit<TEvent, keyof EventEnvelope>;

/**
 * An event as a decision produces it: type, schema version and payload, before the
 * store gives it an id, an envelope and a position.
 */
export type NewEvent<TEvent extends EventEnvelope> = TEvent extends EventEnvelope
  ? { type: TEvent['event_type']; version: TEvent['event_version']; data: EventData<TEvent> }
  : never;

/** Splits a flat wire event into its envelope and its payload. */
export function splitEvent<TEvent extends EventEnvelope>(
  event: TEvent,
): { envelope: EventEnvelope<TEvent['event_type'], TEvent['event_version']>; data: EventData<TEvent> } {
  const envelope: Record<string, unknown> = {};
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if ((ENVELOPE_FIELDS as readonly string[]).includes(key)) envelope[key] = value;
    else data[key] = value;
  }
  return {
    envelope: envelope as unknown as EventEnvelope<TEvent['event_type'], TEvent['event_version']>,
    data: data as EventData<TEvent>,
  };
}
