import { ApiProperty } from '@nestjs/swagger';
import { TODO_PRIORITIES, TodoPriority } from '@todo/events';
import type { Response } from 'express';
import { etagOf } from '../../infrastructure/http/if-match.decorator';
import { TodoStatus } from '../domain/todo.aggregate';
import { TodoChange } from '../infrastructure/todo.repository';

/**
 * What a command answers: the todo as the write side decided it, and its new version
 * (also the ETag). Read views catch up asynchronously; ask for at least this version
 * with `GET /todos/:id?min_version=<version>` to read your own write.
 */
export class TodoChangeResponse {
  @ApiProperty() id: number;
  @ApiProperty() user_id: number;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: TODO_PRIORITIES }) priority: TodoPriority;
  @ApiProperty({ enum: ['open', 'completed', 'deleted'] }) status: TodoStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completed_at: string | null;
  @ApiProperty({ description: 'Stream version after the command; the ETag.' }) version: number;
  @ApiProperty({ description: 'Events the command appended (none when it changed nothing).' }) events: string[];
}

export function respondWithChange(response: Response, change: TodoChange): TodoChangeResponse {
  response.setHeader('ETag', etagOf(change.version));
  const { todo } = change;
  return {
    id: todo.id,
    user_id: todo.userId,
    title: todo.title,
    description: todo.description,
    priority: todo.priority,
    status: todo.status,
    completed_at: todo.completedAt,
    version: change.version,
    events: change.events.map((e) => e.event_type),
  };
}
