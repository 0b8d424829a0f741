import { Controller, Put, Param, Res } from '@nestjs/common';
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
import { CompleteTodoCommand } from './complete-todo.command';
import { executeCommand } from '../../../infrastructure/cqrs/execute-command';

@ApiTags('todos')
@Controller('todos')
export class CompleteTodoHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':id/complete')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version this change is meant for' })
  @ApiOkResponse({ type: TodoChangeResponse, description: 'Completed; todo.completed is on its way to the consumers.' })
  @ApiNotFoundResponse({ description: 'TODO.NOT_FOUND' })
  @ApiConflictResponse({ description: 'TODO.ALREADY_COMPLETED, TODO.DELETED' })
  @ApiPreconditionFailedResponse({ description: 'TODO.VERSION_MISMATCH: If-Match names an older version' })
  async complete(
    @Param('id', new PositiveIntPipe('id')) id: number,
    @IfMatch() expectedVersion: number | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TodoChangeResponse> {
    const change = await executeCommand(this.commandBus, new CompleteTodoCommand(id, Correlation.require(), expectedVersion));
    return respondWithChange(response, change);
  }
}
