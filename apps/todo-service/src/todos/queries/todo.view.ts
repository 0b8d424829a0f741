import { ApiProperty } from '@nestjs/swagger';
import { TODO_PRIORITIES, TodoPriority } from '@todo/events';

/** A todo as the `todos` view holds it and the API returns it. */
export class TodoView {
  @ApiProperty({ type: 'integer', example: 1 }) id: number;
  @ApiProperty({ type: 'integer', example: 1 }) user_id: number;
  @ApiProperty({ example: '测试事件驱动' }) title: string;
  @ApiProperty({ example: '学习EDA' }) description: string;
  @ApiProperty({ enum: TODO_PRIORITIES }) priority: TodoPriority;
  @ApiProperty({ enum: ['open', 'completed'] }) status: 'open' | 'completed' | 'deleted';
  @ApiProperty({ type: String, format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was completed; null while open.' })
  completed_at: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at: string;
  @ApiProperty({ type: 'integer', description: 'Stream version: how many events the todo has.', example: 1 }) version: number;
}

export const TODO_VIEW_COLUMNS = `id, user_id, title, description, priority, status, created_at, completed_at, updated_at, version`;

export interface TodoViewRow {
  id: number;
  user_id: number;
  title: string;
  description: string;
  priority: TodoPriority;
  status: 'open' | 'completed' | 'deleted';
  created_at: Date;
  completed_at: Date | null;
  updated_at: Date;
  version: number;
}

export function toTodoView(row: TodoViewRow): TodoView {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
    updated_at: row.updated_at.toISOString(),
  };
}
