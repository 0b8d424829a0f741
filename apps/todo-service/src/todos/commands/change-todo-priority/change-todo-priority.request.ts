import { ApiProperty } from '@nestjs/swagger';
import { TODO_PRIORITIES, TodoPriority } from '@todo/events';
import { IsIn } from 'class-validator';

export class ChangeTodoPriorityRequest {
  @ApiProperty({ enum: TODO_PRIORITIES })
  @IsIn(TODO_PRIORITIES)
  priority: TodoPriority;
}
