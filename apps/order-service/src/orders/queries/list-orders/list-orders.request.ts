import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageRequest } from '@todo/http-api';
import { IsIn, IsOptional } from 'class-validator';

export class ListOrdersRequest extends PageRequest {
  @ApiPropertyOptional({ enum: ['pending', 'confirmed', 'cancelled'], description: 'Only orders with this status.' })
  @IsOptional()
  @IsIn(['pending', 'confirmed', 'cancelled'])
  status?: 'pending' | 'confirmed' | 'cancelled';
}
