import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import { TODO_PRIORITIES, TodoPriority } from '@todo/events';
import { ApiError, ApiErrorResponses, ApiIfMatchHeader, ApiPositiveIntParam, HTTP_API_ERRORS, etagHeader, etagOf } from '@todo/http-api';
import type { Response } from 'express';
import { TODO_SERVICE_ERRORS } from '../../infrastructure/http/todo-service.api-errors';
import { TodoStatus } from '../domain/todo.aggregate';
import { TodoChange } from '../infrastructure/todo.repository';

/**
 * What a command answers: the todo as the write side decided it, and its new version
 * (also the ETag). Read views catch up asynchronously; ask for at least this version
 * with `GET /todos/:id?min_version=<version>` to read your own write.
 */
export class TodoChangeResponse {
  @ApiProperty({ type: 'integer', example: 1 }) id: number;
  @ApiProperty({ type: 'integer', example: 1 }) user_id: number;
  @ApiProperty({ example: '测试事件驱动' }) title: string;
  @ApiProperty({ example: '学习EDA' }) description: string;
  @ApiProperty({ enum: TODO_PRIORITIES }) priority: TodoPriority;
  @ApiProperty({ enum: ['open', 'completed', 'deleted'] }) status: TodoStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was completed; null unless completed.' })
  completed_at: string | null;
  @ApiProperty({ type: 'integer', description: 'Stream version after the command; the ETag.', example: 1 }) version: number;
  @ApiProperty({
    type: [String],
    description: 'Event types the command appended, in order (none when it changed nothing).',
    example: ['todo.created'],
  })
  events: string[];
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

/**
 * The contract of every command on an existing todo: the id in the path, an optional
 * If-Match, the change with its ETag, and the errors they all share besides their own.
 */
export const ApiTodoCommand = (changed: string, ...errors: ApiError[]): MethodDecorator =>
  applyDecorators(
    ApiPositiveIntParam('id', 'The todo.'),
    ApiIfMatchHeader(),
    ApiOkResponse({ type: TodoChangeResponse, description: changed, headers: { ETag: etagHeader('todo') } }),
    ApiErrorResponses(
      HTTP_API_ERRORS.VALIDATION_FAILED,
      TODO_SERVICE_ERRORS['TODO.NOT_FOUND'],
      TODO_SERVICE_ERRORS['TODO.DELETED'],
      ...errors,
      TODO_SERVICE_ERRORS['STREAM.CONCURRENT_WRITE'],
      TODO_SERVICE_ERRORS['TODO.VERSION_MISMATCH'],
    ),
  );
