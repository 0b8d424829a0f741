import type { Response } from 'express';
import { OrderEvent } from '@todo/events';
import { etagOf } from '@todo/http-api';
import { Order } from '../domain/order.aggregate';
import { OrderResponse } from '../order.response';

/** What a command on an order answers: the order as decided, its new version, the events appended. */
export interface OrderChange {
  order: Order;
  version: number;
  events: OrderEvent[];
}

export function respondWithOrder(response: Response, change: OrderChange): OrderResponse & { events: string[] } {
  response.setHeader('ETag', etagOf(change.version));
  const { order } = change;
  return {
    id: order.id,
    user_id: order.userId,
    status: order.status,
    reason: order.reason,
    lines: order.lines,
    lines_short: order.linesShort,
    version: change.version,
    events: change.events.map((e) => e.event_type),
  };
}
