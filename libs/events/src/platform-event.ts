import { TodoEvent, TodoEventType } from './todo-events';
import { UserEvent, UserEventType } from './user-events';

/** Every event published on the platform's exchange. */
export type PlatformEvent = TodoEvent | UserEvent;
export type PlatformEventType = PlatformEvent['event_type'];

export const EventType = { Todo: TodoEventType, User: UserEventType } as const;

/** Narrows a platform event union member by its type. */
export type EventOfType<T extends PlatformEventType> = Extract<PlatformEvent, { event_type: T }>;
