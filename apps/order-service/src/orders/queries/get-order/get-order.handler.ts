import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@todo/events';
import { DataSource } from 'typeorm';
import { OrderNotFoundError } from '../../domain/order.errors';
import { SagaRepository } from '../../../saga/infrastructure/saga.repository';
import { ORDER_VIEW_COLUMNS, OrderViewRow } from '../order.view';
import { toOrderView } from '../order-view.response';
import { GetOrderQuery } from './get-order.query';
import { OrderDetailsResponse } from './order-details.response';

const CATCH_UP_WAIT_MS = 2_000;
const CATCH_UP_POLL_MS = 10;

class OrderViewBehindError extends DomainError {
  constructor(orderId: number, minVersion: number, version: number) {
    super('ORDER.VIEW_BEHIND', `the view of order ${orderId} is at version ${version}, not yet ${minVersion}; retry shortly`);
  }
}

/** The order view with its saga: state, deadline, and every step it took. */
@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery, OrderDetailsResponse> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sagas: SagaRepository,
  ) {}

  async execute({ orderId, ownerId, minVersion }: GetOrderQuery): Promise<OrderDetailsResponse> {
    const deadline = Date.now() + CATCH_UP_WAIT_MS;
    let row: OrderViewRow | undefined;
    for (;;) {
      [row] = await this.dataSource.query(`SELECT ${ORDER_VIEW_COLUMNS} FROM orders WHERE id = $1`, [orderId]);
      // Another user's order is not found at once, so waiting for a version gives nothing away either.
      if (row && row.user_id !== ownerId) throw new OrderNotFoundError(orderId);
      const version = row?.version ?? 0;
      if (minVersion === undefined || version >= minVersion) break;
      if (Date.now() >= deadline) throw new OrderViewBehindError(orderId, minVersion, version);
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
    }
    if (!row) throw new OrderNotFoundError(orderId);
    const saga = await this.sagas.find(orderId);
    const history = saga ? await this.sagas.history(orderId) : [];
    return {
      ...toOrderView(row),
      saga: saga
        ? {
            state: saga.state,
            deadline_at: saga.deadline_at?.toISOString() ?? null,
            history: history.map((s) => ({ ...s, at: s.at.toISOString() })),
          }
        : null,
    };
  }
}
