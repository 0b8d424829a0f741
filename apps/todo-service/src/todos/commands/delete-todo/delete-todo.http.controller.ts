import { Controller, Delete, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IfMatch, PositiveIntPipe } from '@todo/http-api';
import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { Correlation } from '@todo/observability';
import type { Response } from 'express';
import { ApiTodoCommand, TodoChangeResponse, respondWithChange } from '../todo-change.response';
import { DeleteTodoCommand } from './delete-todo.command';
import { CommandRunner } from '../../../infrastructure/cqrs/command-runner';

@ApiTags('todos')
@Controller('todos')
export class DeleteTodoHttpController {
  constructor(private readonly commands: CommandRunner) {}

  @Delete(':id')
  @ApiOperation({
    summary: 'Delete a todo',
    description: 'Emits todo.deleted: the todo leaves the lists and reads answer TODO.NOT_FOUND; its events stay in the store.',
  })
  @ApiTodoCommand('Deleted (todo.deleted); the answer shows the todo with status `deleted`.')
  async delete(
    @Param('id', new PositiveIntPipe('id')) id: number,
    @IfMatch('TODO.VERSION_MISMATCH') expectedVersion: number | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TodoChangeResponse> {
    const change = await this.commands.execute(new DeleteTodoCommand(id, user.id, Correlation.require(), expectedVersion));
    return respondWithChange(response, change);
  }
}
