import { Controller, Put, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IfMatch, PositiveIntPipe } from '@todo/http-api';
import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { Correlation } from '@todo/observability';
import type { Response } from 'express';
import { TODO_SERVICE_ERRORS } from '../../../infrastructure/http/todo-service.api-errors';
import { ApiTodoCommand, TodoChangeResponse, respondWithChange } from '../todo-change.response';
import { ReopenTodoCommand } from './reopen-todo.command';
import { CommandRunner } from '../../../infrastructure/cqrs/command-runner';

@ApiTags('todos')
@Controller('todos')
export class ReopenTodoHttpController {
  constructor(private readonly commands: CommandRunner) {}

  @Put(':id/reopen')
  @ApiOperation({ summary: 'Reopen a todo', description: 'Makes a completed todo open again and emits todo.reopened.' })
  @ApiTodoCommand('Reopened (todo.reopened).', TODO_SERVICE_ERRORS['TODO.NOT_COMPLETED'])
  async reopen(
    @Param('id', new PositiveIntPipe('id')) id: number,
    @IfMatch('TODO.VERSION_MISMATCH') expectedVersion: number | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TodoChangeResponse> {
    const change = await this.commands.execute(new ReopenTodoCommand(id, user.id, Correlation.require(), expectedVersion));
    return respondWithChange(response, change);
  }
}
