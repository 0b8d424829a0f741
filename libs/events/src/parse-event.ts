import { MessageRejection } from './message-contracts';
import { PLATFORM_CONTRACTS } from './platform-contracts';
import { PlatformEvent } from './platform-event';

export type EventRejection = Extract<
  MessageRejection,
  'MALFORMED_JSON' | 'INVALID_ENVELOPE' | 'UNKNOWN_EVENT_TYPE' | 'UNSUPPORTED_EVENT_VERSION' | 'INVALID_PAYLOAD'
>;

export type ParseEventResult =
  /** The event validated against its own version, then upcast to the current one. */
  { ok: true; event: PlatformEvent } | { ok: false; rejection: EventRejection; reason: string };

/** Decodes and validates one platform event (a body that is not an event is rejected). */
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
  const result = PLATFORM_CONTRACTS.validate(value, 'event');
  if (!result.ok) return { ok: false, rejection: result.rejection as EventRejection, reason: result.reason };
  return { ok: true, event: result.message as unknown as PlatformEvent };
}
