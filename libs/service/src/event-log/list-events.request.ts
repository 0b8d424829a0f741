import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const EVENT_TYPE = /^[a-z_]+\.[a-z_]+$/;

export class ListEventsRequest {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Global position of the last event already seen (0: from the start).',
    default: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after = 0;

  @ApiPropertyOptional({ pattern: EVENT_TYPE.source, description: 'Only this event type.', example: 'todo.completed' })
  @IsOptional()
  @IsString()
  @Matches(EVENT_TYPE, { message: 'type must be an event type like todo.completed' })
  type?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Most events on the page.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;
}
