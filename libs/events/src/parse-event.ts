import { ObjectSchema, checkObject, rules } from './event-schema';
import { PlatformEvent, PlatformEventType } from './platform-event';
import { TODO_PRIORITIES, TodoEventType } from './todo-events';
import { UserEventType } from './user-events';
import { AnyVersionEvent, upcast } from './upcast';

const envelopeSchema: ObjectSchema = {
  event_id: rules.uuid(),
  event_type: rules.text({ min: 1, max: 100 }),
  event_version: rules.positiveInt(),
  aggregate_id: rules.text({ min: 1, max: 255 }),
  aggregate_type: rules.text({ min: 1, max: 100 }),
  aggregate_version: rules.positiveInt(),
  occurred_at: rules.instant(),
  correlation_id: rules.text({ min: 1, max: 255 }),
  causation_id: rules.text({ min: 1, max: 255 }),
};

/** Payload schemas by event type, then by version. The highest version is the current one. */
const payloadSchemas: Record<PlatformEventType, Record<number, ObjectSchema>> = {
  [TodoEventType.Created]: {
    1: {
      todo_id: rules.positiveInt(),
      user_id: rules.positiveInt(),
      title: rules.text({ min: 1, max: 200 }),
      priority: rules.oneOf(TODO_PRIORITIES),
    },
    2: {
      todo_id: rules.positiveInt(),
      user_id: rules.positiveInt(),
      title: rules.text({ min: 1, max: 200 }),
      description: rules.text({ max: 2000 }),
      priority: rules.oneOf(TODO_PRIORITIES),
    },
  },
  [TodoEventType.Edited]: {
    1: {
      todo_id: rules.positiveInt(),
      user_id: rules.positiveInt(),
      title: rules.text({ min: 1, max: 200 }),
      description: rules.text({ max: 2000 }),
    },
  },
  [TodoEventType.Reopened]: {
    1: { todo_id: rules.positiveInt(), user_id: rules.positiveInt() },
  },
  [TodoEventType.Deleted]: {
    1: { todo_id: rules.positiveInt(), user_id: rules.positiveInt() },
  },
  [TodoEventType.Completed]: {
    1: {
      todo_id: rules.positiveInt(),
      user_id: rules.positiveInt(),
      title: rules.text({ min: 1, max: 200 }),
      completed_at: rules.instant(),
    },
  },
  [TodoEventType.PriorityChanged]: {
    1: {
      todo_id: rules.positiveInt(),
      user_id: rules.positiveInt(),
      priority: rules.oneOf(TODO_PRIORITIES),
      previous_priority: rules.oneOf(TODO_PRIORITIES),
    },
  },
  [UserEventType.Registered]: {
    1: {
      user_id: rules.positiveInt(),
      email: rules.email(),
      name: rules.text({ min: 1, max: 200 }),
    },
  },
};

export const KNOWN_EVENT_TYPES = Object.keys(payloadSchemas) as PlatformEventType[];

export type EventRejection = 'MALFORMED_JSON' | 'INVALID_ENVELOPE' | 'UNKNOWN_EVENT_TYPE' | 'UNSUPPORTED_EVENT_VERSION' | 'INVALID_PAYLOAD';

export type ParseEventResult =
  /** The event validated against its own version, then upcast to the current one. */
  { ok: true; event: PlatformEvent } | { ok: false; rejection: EventRejection; reason: string };

/**
 * Decodes and validates one incoming message. A consumer must never act on a
 * message that has not passed through here.
 */
export function parseEvent(raw: Buffer | string): ParseEventResult {
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (error) {
    return { ok: false, rejection: 'MALFORMED_JSON', reason: `body is not JSON: ${(error as Error).message}` };
  }
  return validateEvent(value);
}

/** Validates an already decoded value as a platform event. */
export function validateEvent(value: unknown): ParseEventResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, rejection: 'MALFORMED_JSON', reason: 'body must be a JSON object' };
  }
  const record = value as Record<string, unknown>;
  const envelopeProblem = checkObject(record, envelopeSchema);
  if (envelopeProblem) return { ok: false, rejection: 'INVALID_ENVELOPE', reason: envelopeProblem };

  const type = record.event_type as string;
  const versions = Object.hasOwn(payloadSchemas, type) ? payloadSchemas[type as PlatformEventType] : undefined;
  if (!versions) return { ok: false, rejection: 'UNKNOWN_EVENT_TYPE', reason: `unknown event_type ${type}` };

  const version = record.event_version as number;
  const schema = Object.hasOwn(versions, version) ? versions[version] : undefined;
  if (!schema) {
    return {
      ok: false,
      rejection: 'UNSUPPORTED_EVENT_VERSION',
      reason: `${type} version ${version} is not supported (known: ${Object.keys(versions).join(', ')})`,
    };
  }
  const payloadProblem = checkObject(record, schema);
  if (payloadProblem) return { ok: false, rejection: 'INVALID_PAYLOAD', reason: `${type}: ${payloadProblem}` };
  return { ok: true, event: upcast(record as unknown as AnyVersionEvent) };
}
