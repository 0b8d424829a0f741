import { ApiProperty } from '@nestjs/swagger';
import { ORDER_CANCEL_REASONS, OrderCancelReason } from '@todo/events';

export class OrderLineResponse {
  @ApiProperty({ example: 'KB-1' }) sku: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 2 }) quantity: number;
}

export class ShortLineResponse {
  @ApiProperty({ example: 'KB-1' }) sku: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) requested: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) available: number;
}

/** An order as the write side decided it (commands) or as the view holds it (queries). */
export class OrderResponse {
  @ApiProperty({ type: 'integer', example: 1 }) id: number;
  @ApiProperty({ type: 'integer', example: 1 }) user_id: number;
  @ApiProperty({ enum: ['pending', 'confirmed', 'cancelled'] }) status: 'pending' | 'confirmed' | 'cancelled';
  @ApiProperty({ enum: ORDER_CANCEL_REASONS, nullable: true, description: 'Why it was cancelled; null unless cancelled.' })
  reason: OrderCancelReason | null;
  @ApiProperty({ type: [OrderLineResponse] }) lines: OrderLineResponse[];
  @ApiProperty({ type: [ShortLineResponse], nullable: true, description: 'For out_of_stock: what inventory could not reserve.' })
  lines_short: ShortLineResponse[] | null;
  @ApiProperty({ type: 'integer', description: 'Stream version: how many events the order has; the ETag.', example: 1 }) version: number;
}
