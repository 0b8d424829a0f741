import { CommandEnvelope } from './command-envelope';
import { EventEnvelope } from './envelope';
import { MessageDescription } from './message-contracts';
import { OrderLine, ShortLine } from './order-events';

/** inventory-service's reservations are keyed by order: `reservation-<order id>`. */
export const RESERVATION_AGGREGATE = 'reservation';
export const reservationKey = (orderId: number): string => `reservation-${orderId}`;

export const InventoryCommandType = {
  Reserve: 'inventory.reserve',
  Release: 'inventory.release',
} as const;

/** Reserve every line of an order, or none. Answered by inventory.reserved or inventory.reserve_failed. */
export type ReserveInventory = CommandEnvelope<typeof InventoryCommandType.Reserve, 1> & {
  order_id: number;
  lines: OrderLine[];
};

/** Give back what an order reserved (idempotent; a release that comes first is remembered). Answered by inventory.released. */
export type ReleaseInventory = CommandEnvelope<typeof InventoryCommandType.Release, 1> & {
  order_id: number;
};

export type InventoryCommand = ReserveInventory | ReleaseInventory;

export const RESERVE_FAILURE_REASONS = ['out_of_stock', 'released_before_reserved'] as const;
export type ReserveFailureReason = (typeof RESERVE_FAILURE_REASONS)[number];

/** Stock levels are keyed by SKU: `stock-<sku>`. */
export const STOCK_AGGREGATE = 'stock';
export const stockKey = (sku: string): string => `stock-${sku}`;

export const InventoryEventType = {
  StockSet: 'inventory.stock_set',
  Reserved: 'inventory.reserved',
  ReserveFailed: 'inventory.reserve_failed',
  Released: 'inventory.released',
} as const;

export type InventoryReserved = EventEnvelope<typeof InventoryEventType.Reserved, 1> & {
  order_id: number;
  lines: OrderLine[];
};

export type InventoryReserveFailed = EventEnvelope<typeof InventoryEventType.ReserveFailed, 1> & {
  order_id: number;
  reason: ReserveFailureReason;
  /** The lines that could not be reserved (an unknown SKU has 0 available). */
  lines_short: ShortLine[];
};

export type InventoryReleased = EventEnvelope<typeof InventoryEventType.Released, 1> & {
  order_id: number;
  /** What went back to stock: nothing when the order had no reservation. */
  lines: OrderLine[];
};

/** A SKU was stocked: how many units are free to reserve now. Other services learn the SKUs that exist from it. */
export type InventoryStockSet = EventEnvelope<typeof InventoryEventType.StockSet, 1> & {
  sku: string;
  available: number;
};

export type InventoryEvent = InventoryStockSet | InventoryReserved | InventoryReserveFailed | InventoryReleased;

/** What each inventory command asks, who sends it and why. The AsyncAPI document shows it. */
export const INVENTORY_COMMAND_DESCRIPTIONS: Readonly<Record<InventoryCommand['command_type'], MessageDescription>> = {
  [InventoryCommandType.Reserve]: {
    summary: "Reserve an order's lines, all or none.",
    description:
      "Sent by order-service's saga when an order is created, to inventory-service alone (the commands exchange routes " +
      'it to its queue): set aside every line of the order, or none. Answered by inventory.reserved or ' +
      'inventory.reserve_failed; a second one for the same order gets the same answer.',
  },
  [InventoryCommandType.Release]: {
    summary: 'Give back what an order reserved.',
    description:
      "Sent by order-service's saga when an order is cancelled after stock was asked for (its deadline passed, the user " +
      'cancelled, or a reservation came too late): inventory-service puts the lines back in stock. Idempotent; a release ' +
      'that arrives before its reservation is remembered, and that reservation then fails. Answered by inventory.released.',
  },
};

/** What each inventory event means: when inventory-service sends it, who receives it and why. The AsyncAPI document shows it. */
export const INVENTORY_EVENT_DESCRIPTIONS: Readonly<Record<InventoryEvent['event_type'], MessageDescription>> = {
  [InventoryEventType.StockSet]: {
    summary: 'A SKU was stocked.',
    description:
      'An admin set how many units of a SKU are free to reserve (PUT /inventory/:sku). order-service learns from it ' +
      'which SKUs exist, and refuses at once an order that names another.',
  },
  [InventoryEventType.Reserved]: {
    summary: "Every line of an order is reserved: inventory's yes to inventory.reserve.",
    description:
      "inventory-service set aside every line of the order, in answer to inventory.reserve. order-service's saga " +
      'confirms the order (order.confirmed), or, when the order was cancelled meanwhile, gives the lines back with ' +
      'inventory.release.',
  },
  [InventoryEventType.ReserveFailed]: {
    summary: "An order's lines could not be reserved: inventory's no to inventory.reserve.",
    description:
      'inventory-service reserved nothing: out_of_stock (lines_short says, per line, what was asked and what there was; ' +
      'an unknown SKU has 0), or released_before_reserved (an inventory.release for the order came first). ' +
      "order-service's saga cancels the order as out of stock.",
  },
  [InventoryEventType.Released]: {
    summary: "An order's reserved lines went back to stock: the answer to inventory.release.",
    description:
      'inventory-service gave back what the order had reserved (lines; none when it had no reservation). ' +
      "order-service's saga records that its compensation is done.",
  },
};
