import { Body, Controller, Put, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IfMatch, PositiveIntPipe } from '@todo/http-api';
import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { Correlation } from '@todo/observability';
import type { Response } from 'express';
import { TODO_SERVICE_ERRORS } from '../../../infrastructure/http/todo-service.api-errors';
import { ApiTodoCommand, TodoChangeResponse, respondWithChange } from '../todo-change.response';
import { ChangeTodoPriorityCommand } from './change-todo-priority.command';
import { ChangeTodoPriorityRequest } from './change-todo-priority.request';
import { CommandRunner } from '../../../infrastructure/cqrs/command-runner';

@ApiTags('todos')
@Controller('todos')
export class ChangeTodoPriorityHttpController {
  constructor(private readonly commands: CommandRunner) {}

  @Put(':id/priority')
  @ApiOperation({
    summary: 'Change the priority of a todo',
    description: 'Sets the priority of an open todo and emits todo.priority_changed with the previous one.',
  })
  @ApiTodoCommand(
    'Changed (todo.priority_changed), or unchanged when already at that priority.',
    TODO_SERVICE_ERRORS['TODO.ALREADY_COMPLETED'],
  )
  async change(
    @Param('id', new PositiveIntPipe('id')) id: number,
    @Body() body: ChangeTodoPriorityRequest,
    @IfMatch('TODO.VERSION_MISMATCH') expectedVersion: number | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TodoChangeResponse> {
    const change = await this.commands.execute(
      new ChangeTodoPriorityCommand(id, user.id, body.priority, Correlation.require(), expectedVersion),
    );
    return respondWithChange(response, change);
  }
}
