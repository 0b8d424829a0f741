import {
  NewEvent,
  ORDER_AGGREGATE,
  OrderCancelReason,
  OrderCancelled,
  OrderConfirmed,
  OrderCreated,
  OrderEvent,
  OrderEventType,
  OrderLine,
  ShortLine,
} from '@todo/events';
import { DuplicateSkuError, OrderAlreadyExistsError, OrderNotFoundError, OrderNotPendingError } from './order.errors';

export const ORDER_STREAM_TYPE = ORDER_AGGREGATE;
export const orderStreamId = (orderId: number): string => `order-${orderId}`;

export type OrderDomainEvent = NewEvent<OrderEvent>;
export type OrderStatus = 'pending' | 'confirmed' | 'cancelled';

export interface Order {
  id: number;
  userId: number;
  lines: OrderLine[];
  status: OrderStatus;
  reason: OrderCancelReason | null;
  linesShort: ShortLine[] | null;
}

export type OrderState = Order | undefined;

export type OrderCommand =
  | { type: 'PlaceOrder'; orderId: number; userId: number; lines: OrderLine[] }
  | { type: 'ConfirmOrder'; orderId: number }
  | { type: 'CancelOrder'; orderId: number; reason: OrderCancelReason; linesShort?: ShortLine[] };

/** Decides which events a command produces given the current state, or throws the rule it breaks. */
export function decide(command: OrderCommand, state: OrderState): OrderDomainEvent[] {
  if (command.type === 'PlaceOrder') {
    if (state) throw new OrderAlreadyExistsError(command.orderId);
    const seen = new Set<string>();
    for (const { sku } of command.lines) {
      if (seen.has(sku)) throw new DuplicateSkuError(sku);
      seen.add(sku);
    }
    const created: NewEvent<OrderCreated> = {
      type: OrderEventType.Created,
      version: 1,
      data: { order_id: command.orderId, user_id: command.userId, lines: command.lines },
    };
    return [created];
  }
  if (!state) throw new OrderNotFoundError(command.orderId);
  if (state.status !== 'pending') throw new OrderNotPendingError(state.id, state.status);
  const owner = { order_id: state.id, user_id: state.userId };
  switch (command.type) {
    case 'ConfirmOrder': {
      const confirmed: NewEvent<OrderConfirmed> = { type: OrderEventType.Confirmed, version: 1, data: { ...owner, lines: state.lines } };
      return [confirmed];
    }
    case 'CancelOrder': {
      const cancelled: NewEvent<OrderCancelled> = {
        type: OrderEventType.Cancelled,
        version: 1,
        data: { ...owner, reason: command.reason, ...(command.linesShort ? { lines_short: command.linesShort } : {}) },
      };
      return [cancelled];
    }
    default:
      return assertNever(command);
  }
}

/** Applies one event to the state. Pure: rebuilding an order is a fold of its events. */
export function evolve(state: OrderState, event: OrderDomainEvent): OrderState {
  switch (event.type) {
    case OrderEventType.Created:
      return {
        id: event.data.order_id,
        userId: event.data.user_id,
        lines: event.data.lines,
        status: 'pending',
        reason: null,
        linesShort: null,
      };
    case OrderEventType.Confirmed:
      return { ...created(state, event), status: 'confirmed' };
    case OrderEventType.Cancelled:
      return { ...created(state, event), status: 'cancelled', reason: event.data.reason, linesShort: event.data.lines_short ?? null };
    default:
      return assertNever(event);
  }
}

export function rebuild(events: readonly OrderDomainEvent[]): OrderState {
  return events.reduce<OrderState>(evolve, undefined);
}

function created(state: OrderState, event: OrderDomainEvent): Order {
  if (!state) throw new Error(`corrupt order stream: ${event.type} before ${OrderEventType.Created}`);
  return state;
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
