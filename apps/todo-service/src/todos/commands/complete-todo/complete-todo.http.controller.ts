import { Controller, Put, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IfMatch, PositiveIntPipe } from '@todo/http-api';
import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { Correlation } from '@todo/observability';
import type { Response } from 'express';
import { TODO_SERVICE_ERRORS } from '../../../infrastructure/http/todo-service.api-errors';
import { ApiTodoCommand, TodoChangeResponse, respondWithChange } from '../todo-change.response';
import { CompleteTodoCommand } from './complete-todo.command';
import { CommandRunner } from '../../../infrastructure/cqrs/command-runner';

@ApiTags('todos')
@Controller('todos')
export class CompleteTodoHttpController {
  constructor(private readonly commands: CommandRunner) {}

  @Put(':id/complete')
  @ApiOperation({
    summary: 'Complete a todo',
    description: 'Marks an open todo completed and emits todo.completed, which mails its owner and counts in the analytics.',
  })
  @ApiTodoCommand('Completed; todo.completed is on its way to the consumers.', TODO_SERVICE_ERRORS['TODO.ALREADY_COMPLETED'])
  async complete(
    @Param('id', new PositiveIntPipe('id')) id: number,
    @IfMatch('TODO.VERSION_MISMATCH') expectedVersion: number | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TodoChangeResponse> {
    const change = await this.commands.execute(new CompleteTodoCommand(id, user.id, Correlation.require(), expectedVersion));
    return respondWithChange(response, change);
  }
}
