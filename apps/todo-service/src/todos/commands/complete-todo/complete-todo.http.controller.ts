import { Controller, Param, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Correlation } from '@todo/observability';
import { PositiveIntPipe } from '@todo/http-api';
import { GetTodoQuery } from '../../queries/get-todo/get-todo.query';
import { TodoView } from '../../queries/todo.view';
import { CompleteTodoCommand } from './complete-todo.command';

@ApiTags('todos')
@Controller('todos')
export class CompleteTodoHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Put(':id/complete')
  @ApiOkResponse({ type: TodoView, description: 'Completed; todo.completed is on its way to the consumers.' })
  @ApiNotFoundResponse({ description: 'TODO.NOT_FOUND' })
  @ApiConflictResponse({ description: 'TODO.ALREADY_COMPLETED' })
  async complete(@Param('id', new PositiveIntPipe('id')) id: number): Promise<TodoView> {
    await this.commandBus.execute(new CompleteTodoCommand(id, Correlation.require()));
    return this.queryBus.execute(new GetTodoQuery(id));
  }
}
