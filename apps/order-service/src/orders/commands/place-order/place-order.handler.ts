import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { OrderEvent } from '@todo/events';
import { DataSource } from 'typeorm';
import { decide, evolve } from '../../domain/order.aggregate';
import { UnknownSkuError } from '../../domain/order.errors';
import { OrderRepository } from '../../infrastructure/order.repository';
import { OrderChange } from '../order-change';
import { PlaceOrderCommand } from './place-order.command';

/** Places an order (order.created); the saga takes it from there. */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand, OrderChange> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrderRepository,
  ) {}

  async execute({ userId, lines, causation }: PlaceOrderCommand): Promise<OrderChange> {
    const skus = lines.map((l) => l.sku);
    const known: { sku: string }[] = await this.dataSource.query(`SELECT sku FROM known_skus WHERE sku = ANY($1::text[])`, [skus]);
    const unknown = skus.filter((sku) => !known.some((k) => k.sku === sku));
    if (unknown.length > 0) throw new UnknownSkuError(unknown);
    const orderId = await this.orders.nextOrderId();
    const changes = decide({ type: 'PlaceOrder', orderId, userId, lines }, undefined);
    const events: OrderEvent[] = await this.dataSource.transaction((tx) => this.orders.append(tx, orderId, 0, changes, causation));
    return { order: changes.reduce(evolve, undefined)!, version: events.length, events };
  }
}
