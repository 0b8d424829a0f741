import { Query } from '@nestjs/cqrs';
import { OrderDetailsResponse } from './order-details.response';

export class GetOrderQuery extends Query<OrderDetailsResponse> {
  constructor(
    readonly orderId: number,
    /** The caller: another user's order is not found. */
    readonly ownerId: number,
    /** Read-your-own-writes: wait (briefly) until the view shows at least this version. */
    readonly minVersion?: number,
  ) {
    super();
  }
}
