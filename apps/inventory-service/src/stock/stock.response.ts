import { ApiProperty } from '@nestjs/swagger';

export class StockResponse {
  @ApiProperty({ example: 'KB-1' }) sku: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Units free to reserve.', example: 98 }) available: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Units held by orders being confirmed or confirmed.', example: 2 })
  reserved: number;
}
