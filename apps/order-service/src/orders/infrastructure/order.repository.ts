import { Injectable } from '@nestjs/common';
import { Causation, EventStore } from '@todo/event-store';
import { OrderEvent, splitEvent } from '@todo/events';
import { DataSource, EntityManager } from 'typeorm';
import { ORDER_STREAM_TYPE, OrderDomainEvent, OrderState, rebuild, orderStreamId } from '../domain/order.aggregate';

export interface LoadedOrder {
  state: OrderState;
  /** Stream version: the number of events the order has. */
  version: number;
}

/**
 * Orders are event-sourced like todos: loaded by folding their stream, saved by
 * appending at the version the decision was made on (a concurrent writer makes the
 * append fail). Every call takes the caller's transaction, so the saga changes an order
 * together with its own row and the commands it sends.
 */
@Injectable()
export class OrderRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
  ) {}

  async nextOrderId(): Promise<number> {
    const [{ id }] = await this.dataSource.query(`SELECT nextval('order_ids')::int AS id`);
    return id as number;
  }

  async load(manager: EntityManager, orderId: number): Promise<LoadedOrder> {
    const stored = await this.store.readStream<OrderEvent>(manager, orderStreamId(orderId));
    return { state: rebuild(stored.map((s) => toOrderDomainEvent(s.event))), version: stored.length };
  }

  /** @throws ConcurrencyError when another writer appended first. */
  async append(
    manager: EntityManager,
    orderId: number,
    expectedVersion: number,
    events: OrderDomainEvent[],
    causation: Causation,
  ): Promise<OrderEvent[]> {
    return (await this.store.append(manager, {
      streamId: orderStreamId(orderId),
      streamType: ORDER_STREAM_TYPE,
      expectedVersion,
      events,
      causation,
    })) as OrderEvent[];
  }
}

/** An order event as it travels, back in the aggregate's shape. */
export function toOrderDomainEvent(event: OrderEvent): OrderDomainEvent {
  const { envelope, data } = splitEvent(event);
  return { type: envelope.event_type, version: envelope.event_version, data } as OrderDomainEvent;
}
