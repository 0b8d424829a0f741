import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, Matches, Max, Min, ValidateNested } from 'class-validator';

export class OrderItemRequest {
  @ApiProperty({ pattern: '^[A-Za-z0-9._-]{1,64}$', example: 'KB-1' })
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'sku must be 1 to 64 letters, digits, dots, dashes or underscores' })
  sku: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000, example: 2 })
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity: number;
}

export class PlaceOrderRequest {
  @ApiProperty({ type: [OrderItemRequest], minItems: 1, maxItems: 50, description: 'What to order: each SKU once.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OrderItemRequest)
  items: OrderItemRequest[];
}
