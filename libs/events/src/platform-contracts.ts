import { ObjectSchema, rules } from './event-schema';
import { MessageContracts, MessageDescription } from './message-contracts';
import {
  INVENTORY_COMMAND_DESCRIPTIONS,
  INVENTORY_EVENT_DESCRIPTIONS,
  InventoryCommandType,
  InventoryEventType,
  RESERVE_FAILURE_REASONS,
} from './inventory-messages';
import { ORDER_CANCEL_REASONS, ORDER_EVENT_DESCRIPTIONS, OrderEventType } from './order-events';
import { PlatformCommandType, PlatformEventType } from './platform-event';
import { TODO_EVENT_DESCRIPTIONS, TODO_PRIORITIES, TodoEventType } from './todo-events';
import { USER_EVENT_DESCRIPTIONS, UserEventType } from './user-events';
import { AnyVersionEvent, upcast } from './upcast';

/** An order line: a SKU and a quantity (at most 1,000 of one SKU in one order). */
const ORDER_LINE = { sku: rules.text({ min: 1, max: 64 }), quantity: rules.positiveInt({ max: 1_000 }) };
const ORDER_LINES = rules.list(ORDER_LINE, { min: 1, max: 50 });
const SHORT_LINES = rules.list(
  { sku: rules.text({ min: 1, max: 64 }), requested: rules.positiveInt(), available: rules.nonNegativeInt() },
  { max: 50 },
);

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
  [OrderEventType.Created]: { 1: { order_id: rules.positiveInt(), user_id: rules.positiveInt(), lines: ORDER_LINES } },
  [OrderEventType.Confirmed]: { 1: { order_id: rules.positiveInt(), user_id: rules.positiveInt(), lines: ORDER_LINES } },
  [OrderEventType.Cancelled]: {
    1: {
      order_id: rules.positiveInt(),
      user_id: rules.positiveInt(),
      reason: rules.oneOf(ORDER_CANCEL_REASONS),
      lines_short: rules.optional(SHORT_LINES),
    },
  },
  [InventoryEventType.StockSet]: { 1: { sku: rules.text({ min: 1, max: 64 }), available: rules.nonNegativeInt() } },
  [InventoryEventType.Reserved]: { 1: { order_id: rules.positiveInt(), lines: ORDER_LINES } },
  [InventoryEventType.ReserveFailed]: {
    1: { order_id: rules.positiveInt(), reason: rules.oneOf(RESERVE_FAILURE_REASONS), lines_short: SHORT_LINES },
  },
  [InventoryEventType.Released]: { 1: { order_id: rules.positiveInt(), lines: rules.list(ORDER_LINE, { max: 50 }) } },
};

/** Payload schemas by command type, then by version. */
const COMMAND_SCHEMAS: Record<PlatformCommandType, Record<number, ObjectSchema>> = {
  [InventoryCommandType.Reserve]: { 1: { order_id: rules.positiveInt(), lines: ORDER_LINES } },
  [InventoryCommandType.Release]: { 1: { order_id: rules.positiveInt() } },
};

/** What each event and command means, written beside its producer's types. */
const EVENT_DESCRIPTIONS: Record<PlatformEventType, MessageDescription> = {
  ...TODO_EVENT_DESCRIPTIONS,
  ...USER_EVENT_DESCRIPTIONS,
  ...ORDER_EVENT_DESCRIPTIONS,
  ...INVENTORY_EVENT_DESCRIPTIONS,
};
const COMMAND_DESCRIPTIONS: Record<PlatformCommandType, MessageDescription> = INVENTORY_COMMAND_DESCRIPTIONS;

/** Every event and command of the platform: what each service's consumer validates messages against. */
export const PLATFORM_CONTRACTS = new MessageContracts(
  EVENT_SCHEMAS,
  COMMAND_SCHEMAS,
  (message, kind) => (kind === 'event' ? (upcast(message as unknown as AnyVersionEvent) as unknown as Record<string, unknown>) : message),
  { event: EVENT_DESCRIPTIONS, command: COMMAND_DESCRIPTIONS },
);

export const KNOWN_EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as PlatformEventType[];
