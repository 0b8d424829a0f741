import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Correlation } from '@todo/observability';
import { GetTodoQuery } from '../../queries/get-todo/get-todo.query';
import { TodoView } from '../../queries/todo.view';
import { CreateTodoCommand } from './create-todo.command';
import { CreateTodoRequest } from './create-todo.request';

@ApiTags('todos')
@Controller('todos')
export class CreateTodoHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: TodoView, description: 'Created; todo.created is on its way to the consumers.' })
  @ApiUnprocessableEntityResponse({ description: 'TODO.UNKNOWN_USER' })
  async create(@Body() body: CreateTodoRequest): Promise<TodoView> {
    const change = await this.commandBus.execute(
      new CreateTodoCommand(body.user_id, body.title, body.description, body.priority, Correlation.require()),
    );
    return this.queryBus.execute(new GetTodoQuery(change.todo.id));
  }
}
