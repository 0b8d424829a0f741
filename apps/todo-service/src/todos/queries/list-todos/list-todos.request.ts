import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageRequest } from '@todo/http-api';
import { IsIn, IsOptional } from 'class-validator';

export class ListTodosRequest extends PageRequest {
  @ApiPropertyOptional({ enum: ['open', 'completed'], description: 'Only todos in this status.' })
  @IsOptional()
  @IsIn(['open', 'completed'])
  status?: 'open' | 'completed';
}
