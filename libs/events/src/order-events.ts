import { EventEnvelope } from './envelope';

export const ORDER_AGGREGATE = 'order';

/** One line of an order: how many of one SKU. */
export interface OrderLine {
  sku: string;
  quantity: number;
}

/** A line that could not be reserved: how many were asked for, how many there were. */
export interface ShortLine {
  sku: string;
  requested: number;
  available: number;
}

export const ORDER_CANCEL_REASONS = ['out_of_stock', 'timeout', 'user_cancelled'] as const;
export type OrderCancelReason = (typeof ORDER_CANCEL_REASONS)[number];

export const OrderEventType = {
  Created: 'order.created',
  Confirmed: 'order.confirmed',
  Cancelled: 'order.cancelled',
} as const;

export type OrderCreated = EventEnvelope<typeof OrderEventType.Created, 1> & {
  order_id: number;
  user_id: number;
  lines: OrderLine[];
};

export type OrderConfirmed = EventEnvelope<typeof OrderEventType.Confirmed, 1> & {
  order_id: number;
  user_id: number;
  lines: OrderLine[];
};

export type OrderCancelled = EventEnvelope<typeof OrderEventType.Cancelled, 1> & {
  order_id: number;
  user_id: number;
  reason: OrderCancelReason;
  /** For `out_of_stock`: the lines inventory could not reserve. */
  lines_short?: ShortLine[];
};

/** Every event the order aggregate emits. Switch on `event_type` exhaustively. */
export type OrderEvent = OrderCreated | OrderConfirmed | OrderCancelled;
