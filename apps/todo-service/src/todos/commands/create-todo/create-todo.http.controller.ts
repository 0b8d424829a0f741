import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Correlation } from '@todo/observability';
import type { Response } from 'express';
import { TodoChangeResponse, respondWithChange } from '../todo-change.response';
import { CreateTodoCommand } from './create-todo.command';
import { CreateTodoRequest } from './create-todo.request';
import { executeCommand } from '../../../infrastructure/cqrs/execute-command';

@ApiTags('todos')
@Controller('todos')
export class CreateTodoHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: TodoChangeResponse, description: 'Created; todo.created is on its way to the consumers.' })
  @ApiUnprocessableEntityResponse({ description: 'TODO.UNKNOWN_USER' })
  async create(@Body() body: CreateTodoRequest, @Res({ passthrough: true }) response: Response): Promise<TodoChangeResponse> {
    const change = await executeCommand(
      this.commandBus,
      new CreateTodoCommand(body.user_id, body.title, body.description, body.priority, Correlation.require()),
    );
    response.setHeader('Location', `/todos/${change.todo.id}`);
    return respondWithChange(response, change);
  }
}
