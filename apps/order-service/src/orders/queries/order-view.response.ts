import { ApiProperty } from '@nestjs/swagger';
import { OrderResponse } from '../order.response';
import { OrderViewRow } from './order.view';

export class OrderViewResponse extends OrderResponse {
  @ApiProperty({ type: String, format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at: string;
}

export function toOrderView(row: OrderViewRow): OrderViewResponse {
  return { ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() };
}
