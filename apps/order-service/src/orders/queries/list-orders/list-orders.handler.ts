import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ORDER_VIEW_COLUMNS, OrderViewRow } from '../order.view';
import { OrderViewResponse, toOrderView } from '../order-view.response';
import { ListOrdersQuery } from './list-orders.query';

@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery, OrderViewResponse[]> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter }: ListOrdersQuery): Promise<OrderViewResponse[]> {
    const rows: OrderViewRow[] = await this.dataSource.query(
      `SELECT ${ORDER_VIEW_COLUMNS} FROM orders
        WHERE user_id = $1 AND ($2::text IS NULL OR status = $2)
        ORDER BY id DESC LIMIT $3 OFFSET $4`,
      [filter.userId, filter.status ?? null, filter.limit, filter.offset],
    );
    return rows.map(toOrderView);
  }
}
