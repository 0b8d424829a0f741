import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TODO_PRIORITIES, TodoPriority } from '@todo/events';
import { IsIn, IsInt, IsOptional, IsString, Length, MaxLength, Min } from 'class-validator';
import { DEMO_USER_ID } from '../../../users/domain/user.aggregate';

export class CreateTodoRequest {
  @ApiProperty({ example: '测试事件驱动', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ example: '学习EDA', maxLength: 2000, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description = '';

  @ApiPropertyOptional({ enum: TODO_PRIORITIES, default: 'medium' })
  @IsOptional()
  @IsIn(TODO_PRIORITIES)
  priority: TodoPriority = 'medium';

  @ApiPropertyOptional({ description: 'Owner; the demo user when omitted.', default: DEMO_USER_ID })
  @IsOptional()
  @IsInt()
  @Min(1)
  user_id: number = DEMO_USER_ID;
}
