import { ApiProperty } from '@nestjs/swagger';
import { OrderResponse } from '../order.response';

export class OrderChangeResponse extends OrderResponse {
  @ApiProperty({ type: [String], description: 'Event types the command appended, in order.', example: ['order.created'] })
  events: string[];
}
