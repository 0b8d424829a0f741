import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TODO_PRIORITIES, TodoPriority } from '@todo/events';
import { NoNulCharacters } from '@todo/http-api';
import { IsIn, IsInt, IsString, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { DEMO_USER_ID } from '../../../users/domain/user.aggregate';

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

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Owner; the demo user when omitted.',
    default: DEMO_USER_ID,
    minimum: 1,
    maximum: 2_147_483_647,
  })
  @ValidateIf((body: CreateTodoRequest) => body.user_id !== undefined)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  user_id: number = DEMO_USER_ID;
}
