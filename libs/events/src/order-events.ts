import { EventEnvelope } from './envelope';
import { MessageDescription } from './message-contracts';

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

/** What each order event means: when order-service sends it, who receives it and why. The AsyncAPI document shows it. */
export const ORDER_EVENT_DESCRIPTIONS: Readonly<Record<OrderEvent['event_type'], MessageDescription>> = {
  [OrderEventType.Created]: {
    summary: 'A user placed an order; it is pending.',
    description:
      'A user placed an order (POST /orders) for SKUs inventory has stocked: its lines, pending until inventory answers. ' +
      "order-service reads it back to start the order's saga (which sends inventory.reserve) and to project its order " +
      'views; analytics-service counts the order.',
  },
  [OrderEventType.Confirmed]: {
    summary: 'An order is confirmed: its stock is reserved.',
    description:
      'The saga confirmed the order once inventory answered inventory.reserved: every line is set aside. An ended order ' +
      'never changes its outcome. notification-service mails the buyer; analytics-service counts the confirmation; ' +
      "order-service's views show it.",
  },
  [OrderEventType.Cancelled]: {
    summary: 'An order is cancelled, with the reason.',
    description:
      'The order ended without its stock: out_of_stock (inventory.reserve_failed, with lines_short: what was asked and ' +
      "what there was), timeout (inventory did not answer before the saga's deadline; inventory.release is sent) or " +
      'user_cancelled (PUT /orders/:id/cancel; inventory.release is sent if anything was asked). notification-service mails ' +
      "the buyer why; analytics-service counts it by reason; order-service's views show it.",
  },
};
