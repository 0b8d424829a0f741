import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TODO_PRIORITIES, TodoPriority } from '@todo/events';
import { NoNulCharacters } from '@todo/http-api';
import { IsIn, IsString, Length, MaxLength, ValidateIf } from 'class-validator';

export class CreateTodoRequest {
  @ApiProperty({ example: '测试事件驱动', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @NoNulCharacters()
  title: string;

  @ApiPropertyOptional({ type: String, example: '学习EDA', maxLength: 2000, default: '' })
  // Absent means empty; null is refused like any other non-string.
  @ValidateIf((body: CreateTodoRequest) => body.description !== undefined)
  @IsString()
  @MaxLength(2000)
  @NoNulCharacters()
  description = '';

  @ApiPropertyOptional({ enum: TODO_PRIORITIES, default: 'medium' })
  @ValidateIf((body: CreateTodoRequest) => body.priority !== undefined)
  @IsIn(TODO_PRIORITIES)
  priority: TodoPriority = 'medium';
}
