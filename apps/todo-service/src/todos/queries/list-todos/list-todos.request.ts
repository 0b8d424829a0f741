import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageRequest } from '@todo/http-api';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListTodosRequest extends PageRequest {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 2_147_483_647, description: 'Only this user’s todos.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  user_id?: number;

  @ApiPropertyOptional({ enum: ['open', 'completed'], description: 'Only todos in this status.' })
  @IsOptional()
  @IsIn(['open', 'completed'])
  status?: 'open' | 'completed';
}
