import { Body, Controller, Param, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Correlation } from '@todo/observability';
import { PositiveIntPipe } from '@todo/http-api';
import { GetTodoQuery } from '../../queries/get-todo/get-todo.query';
import { TodoView } from '../../queries/todo.view';
import { ChangeTodoPriorityCommand } from './change-todo-priority.command';
import { ChangeTodoPriorityRequest } from './change-todo-priority.request';

@ApiTags('todos')
@Controller('todos')
export class ChangeTodoPriorityHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Put(':id/priority')
  @ApiOkResponse({ type: TodoView, description: 'Changed (todo.priority_changed emitted), or unchanged when already at that priority.' })
  @ApiNotFoundResponse({ description: 'TODO.NOT_FOUND' })
  @ApiConflictResponse({ description: 'TODO.ALREADY_COMPLETED' })
  async change(@Param('id', new PositiveIntPipe('id')) id: number, @Body() body: ChangeTodoPriorityRequest): Promise<TodoView> {
    await this.commandBus.execute(new ChangeTodoPriorityCommand(id, body.priority, Correlation.require()));
    return this.queryBus.execute(new GetTodoQuery(id));
  }
}
