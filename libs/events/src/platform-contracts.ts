import { ObjectSchema, rules } from './event-schema';
import { MessageContracts, SchemasByType } from './message-contracts';
import { PlatformEventType } from './platform-event';
import { TODO_PRIORITIES, TodoEventType } from './todo-events';
import { UserEventType } from './user-events';
import { AnyVersionEvent, upcast } from './upcast';

/** Payload schemas by event type, then by version. The highest version is the current one. */
const EVENT_SCHEMAS: Record<PlatformEventType, Record<number, ObjectSchema>> = {
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

/** Payload schemas by command type, then by version (no service takes commands yet). */
const COMMAND_SCHEMAS: SchemasByType = {};

/** Every event and command of the platform: what each service's consumer validates messages against. */
export const PLATFORM_CONTRACTS = new MessageContracts(EVENT_SCHEMAS, COMMAND_SCHEMAS, (message, kind) =>
  kind === 'event' ? (upcast(message as unknown as AnyVersionEvent) as unknown as Record<string, unknown>) : message,
);

export const KNOWN_EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as PlatformEventType[];
