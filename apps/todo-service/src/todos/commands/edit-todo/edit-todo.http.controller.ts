import { Body, Controller, Put, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HTTP_API_ERRORS, IfMatch, PositiveIntPipe } from '@todo/http-api';
import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { Correlation } from '@todo/observability';
import type { Response } from 'express';
import { ApiTodoCommand, TodoChangeResponse, respondWithChange } from '../todo-change.response';
import { EditTodoCommand } from './edit-todo.command';
import { EditTodoRequest } from './edit-todo.request';
import { CommandRunner } from '../../../infrastructure/cqrs/command-runner';

@ApiTags('todos')
@Controller('todos')
export class EditTodoHttpController {
  constructor(private readonly commands: CommandRunner) {}

  @Put(':id')
  @ApiOperation({
    summary: 'Edit a todo',
    description: 'Replaces the title and description and emits todo.edited; a completed todo can be edited too.',
  })
  @ApiTodoCommand('Edited (todo.edited), or unchanged when nothing differs.', HTTP_API_ERRORS.INVALID_VALUE)
  async edit(
    @Param('id', new PositiveIntPipe('id')) id: number,
    @Body() body: EditTodoRequest,
    @IfMatch('TODO.VERSION_MISMATCH') expectedVersion: number | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TodoChangeResponse> {
    const change = await this.commands.execute(
      new EditTodoCommand(id, user.id, body.title, body.description, Correlation.require(), expectedVersion),
    );
    return respondWithChange(response, change);
  }
}
