import { Injectable } from '@nestjs/common';
import { InboxContext } from '@todo/event-store';
import { EventType, OrderEvent } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { EntityManager } from 'typeorm';

/**
 * Folds order events into `order_facts`: when each order was placed and how it ended.
 * In any order and any number of times: the placement fills in only the placement, and
 * an outcome, once there, is never replaced.
 */
@Injectable()
export class OrderFactsProjection {
  @OnEvent(EventType.Order.Created, EventType.Order.Confirmed, EventType.Order.Cancelled)
  apply(event: OrderEvent, { tx }: InboxContext): Promise<void> {
    return projectOrderFact(tx, event);
  }
}

export async function projectOrderFact(tx: EntityManager, event: OrderEvent, table = 'order_facts'): Promise<void> {
  if (event.event_type === EventType.Order.Created) {
    await tx.query(
      `INSERT INTO ${table} (order_id, user_id, placed_at) VALUES ($1, $2, $3) ON CONFLICT (order_id) DO UPDATE SET placed_at = EXCLUDED.placed_at`,
      [event.order_id, event.user_id, event.occurred_at],
    );
    return;
  }
  const outcome = event.event_type === EventType.Order.Confirmed ? 'confirmed' : 'cancelled';
  const reason = event.event_type === EventType.Order.Cancelled ? event.reason : null;
  await tx.query(
    `INSERT INTO ${table} (order_id, user_id, outcome, reason, ended_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (order_id) DO UPDATE SET outcome = EXCLUDED.outcome, reason = EXCLUDED.reason, ended_at = EXCLUDED.ended_at
      WHERE ${table}.outcome = 'pending'`,
    [event.order_id, event.user_id, outcome, reason, event.occurred_at],
  );
}
