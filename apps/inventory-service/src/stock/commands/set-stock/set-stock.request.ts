import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class SetStockRequest {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1_000_000_000, description: 'Units free to reserve from now on.', example: 100 })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  available: number;
}
