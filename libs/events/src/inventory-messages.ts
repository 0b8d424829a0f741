import { CommandEnvelope } from './command-envelope';
import { EventEnvelope } from './envelope';
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
