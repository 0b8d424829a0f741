import { PlatformEvent } from './platform-event';
import { TodoCreated, TodoCreatedV1, TodoEventType } from './todo-events';

/** Every version of every event that may still be stored or queued somewhere. */
export type AnyVersionEvent = PlatformEvent | TodoCreatedV1;

/**
 * Brings an event of any known version to the current one. Runs wherever events are
 * read — from the store and from the bus — so handlers only ever see current shapes.
 * Add a step here (vN → vN+1) whenever a payload changes; never change an old step.
 */
export function upcast(event: AnyVersionEvent): PlatformEvent {
  if (event.event_type === TodoEventType.Created && event.event_version === 1) {
    const v2: TodoCreated = { ...event, event_version: 2, description: '' };
    return v2;
  }
  return event as PlatformEvent;
}
