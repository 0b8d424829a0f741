import { Body, Controller, Put, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import { PositiveIntPipe } from '@todo/http-api';
import { Correlation } from '@todo/observability';
import type { Response } from 'express';
import { IfMatch } from '../../../infrastructure/http/if-match.decorator';
import { TodoChangeResponse, respondWithChange } from '../todo-change.response';
import { EditTodoCommand } from './edit-todo.command';
import { EditTodoRequest } from './edit-todo.request';
import { executeCommand } from '../../../infrastructure/cqrs/execute-command';

@ApiTags('todos')
@Controller('todos')
export class EditTodoHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':id')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version this change is meant for' })
  @ApiOkResponse({ type: TodoChangeResponse, description: 'Edited (todo.edited), or unchanged when nothing differs.' })
  @ApiNotFoundResponse({ description: 'TODO.NOT_FOUND' })
  @ApiConflictResponse({ description: 'TODO.DELETED' })
  @ApiPreconditionFailedResponse({ description: 'TODO.VERSION_MISMATCH: If-Match names an older version' })
  async edit(
    @Param('id', new PositiveIntPipe('id')) id: number,
    @Body() body: EditTodoRequest,
    @IfMatch() expectedVersion: number | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TodoChangeResponse> {
    const change = await executeCommand(
      this.commandBus,
      new EditTodoCommand(id, body.title, body.description, Correlation.require(), expectedVersion),
    );
    return respondWithChange(response, change);
  }
}
