import { Query } from '@nestjs/cqrs';
import { OrderViewResponse } from '../order-view.response';

export class ListOrdersQuery extends Query<OrderViewResponse[]> {
  constructor(readonly filter: { userId: number; status?: string; limit: number; offset: number }) {
    super();
  }
}
