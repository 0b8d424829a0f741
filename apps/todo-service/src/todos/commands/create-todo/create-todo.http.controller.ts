import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, HTTP_API_ERRORS, etagHeader } from '@todo/http-api';
import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { Correlation } from '@todo/observability';
import type { Response } from 'express';
import { TODO_SERVICE_ERRORS } from '../../../infrastructure/http/todo-service.api-errors';
import { TodoChangeResponse, respondWithChange } from '../todo-change.response';
import { CreateTodoCommand } from './create-todo.command';
import { CreateTodoRequest } from './create-todo.request';
import { CommandRunner } from '../../../infrastructure/cqrs/command-runner';

@ApiTags('todos')
@Controller('todos')
export class CreateTodoHttpController {
  constructor(private readonly commands: CommandRunner) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a todo',
    description: 'Creates an open todo owned by the caller and emits todo.created.',
  })
  @ApiCreatedResponse({
    type: TodoChangeResponse,
    description: 'Created; todo.created is on its way to the consumers.',
    headers: {
      Location: { description: 'The path of the new todo.', schema: { type: 'string', example: '/todos/1' } },
      ETag: etagHeader('todo'),
    },
  })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED, HTTP_API_ERRORS.INVALID_VALUE, TODO_SERVICE_ERRORS['TODO.UNKNOWN_USER'])
  async create(
    @Body() body: CreateTodoRequest,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TodoChangeResponse> {
    const change = await this.commands.execute(
      new CreateTodoCommand(user.id, body.title, body.description, body.priority, Correlation.require()),
    );
    response.setHeader('Location', `/todos/${change.todo.id}`);
    return respondWithChange(response, change);
  }
}
