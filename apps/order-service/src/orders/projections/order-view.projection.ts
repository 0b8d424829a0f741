import { Injectable } from '@nestjs/common';
import { EventStore, InboxContext } from '@todo/event-store';
import { EventType, OrderCancelled, OrderConfirmed, OrderCreated, OrderEvent } from '@todo/events';
import { OnEvent } from '@todo/messaging';
import { EntityManager } from 'typeorm';

/**
 * Keeps the `orders` table — what GET /orders reads — from the order events, consumed from
 * order-service's own queue. Each row carries the stream version it reflects: an event
 * already applied changes nothing, and the outcome only lands on top of order.created. An
 * outcome that overtook its order.created (a redelivery after a broker fault, a retry)
 * takes order.created from the event store first, in the same transaction: the store is
 * this service's own.
 */
@Injectable()
export class OrderViewProjection {
  constructor(private readonly store: EventStore) {}

  @OnEvent(EventType.Order.Created, EventType.Order.Confirmed, EventType.Order.Cancelled)
  apply(event: OrderEvent, { tx }: InboxContext): Promise<void> {
    return projectOrderEvent(tx, event, 'orders', async (streamId) =>
      (await this.store.readStream<OrderEvent>(tx, streamId)).map((stored) => stored.event),
    );
  }
}

/** The events of an order's stream, in version order (from the event store). */
export type OrderHistory = (streamId: string) => Promise<OrderEvent[]>;

/**
 * Applies one event to an orders table (`table` lets a rebuild write into a shadow copy).
 * An outcome without its order.created applies that first from `history`; without
 * `history` it fails (and is retried).
 */
export async function projectOrderEvent(tx: EntityManager, event: OrderEvent, table = 'orders', history?: OrderHistory): Promise<void> {
  switch (event.event_type) {
    case EventType.Order.Created: {
      const created = event as OrderCreated;
      await tx.query(
        `INSERT INTO ${table} (id, user_id, status, lines, created_at, updated_at, version)
         VALUES ($1, $2, 'pending', $3, $4, $4, $5) ON CONFLICT (id) DO NOTHING`,
        [created.order_id, created.user_id, JSON.stringify(created.lines), created.occurred_at, created.aggregate_version],
      );
      return;
    }
    case EventType.Order.Confirmed:
    case EventType.Order.Cancelled: {
      const ended = event as OrderConfirmed | OrderCancelled;
      const cancelled = ended.event_type === EventType.Order.Cancelled ? ended : undefined;
      const [, applied]: [unknown, number] = await tx.query(
        `UPDATE ${table} SET status = $3, reason = $4, lines_short = $5, updated_at = $6, version = $2
          WHERE id = $1 AND version < $2`,
        [
          ended.order_id,
          ended.aggregate_version,
          cancelled ? 'cancelled' : 'confirmed',
          cancelled?.reason ?? null,
          cancelled?.lines_short ? JSON.stringify(cancelled.lines_short) : null,
          ended.occurred_at,
        ],
      );
      if (applied === 0) {
        const [row] = await tx.query(`SELECT version FROM ${table} WHERE id = $1`, [ended.order_id]);
        if (!row) {
          const created = history && (await history(ended.aggregate_id)).find((e) => e.event_type === EventType.Order.Created);
          // Not in the store either (it cannot be, once published): fail, so it comes back.
          if (!created) throw new Error(`order ${ended.order_id}: ${ended.event_type} arrived before order.created`);
          await projectOrderEvent(tx, created, table);
          await projectOrderEvent(tx, event, table);
        }
      }
      return;
    }
  }
}
