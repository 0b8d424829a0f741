import { InventoryCommand, InventoryCommandType, InventoryEvent, InventoryEventType } from './inventory-messages';
import { OrderEvent, OrderEventType } from './order-events';
import { TodoEvent, TodoEventType } from './todo-events';
import { UserEvent, UserEventType } from './user-events';

/** Every event published on the platform's exchange. */
export type PlatformEvent = TodoEvent | UserEvent | OrderEvent | InventoryEvent;
export type PlatformEventType = PlatformEvent['event_type'];

export const EventType = { Todo: TodoEventType, User: UserEventType, Order: OrderEventType, Inventory: InventoryEventType } as const;

/** Narrows a platform event union member by its type. */
export type EventOfType<T extends PlatformEventType> = Extract<PlatformEvent, { event_type: T }>;

/** Every command sent on the platform's commands exchange, each to its one consumer. */
export type PlatformCommand = InventoryCommand;
export type PlatformCommandType = PlatformCommand['command_type'];

export const CommandType = { Inventory: InventoryCommandType } as const;
