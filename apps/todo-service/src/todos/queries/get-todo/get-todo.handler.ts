import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { TodoNotFoundError } from '../../domain/todo.errors';
import { TODO_VIEW_COLUMNS, TodoView, TodoViewRow, toTodoView } from '../todo.view';
import { GetTodoQuery } from './get-todo.query';

@QueryHandler(GetTodoQuery)
export class GetTodoHandler implements IQueryHandler<GetTodoQuery, TodoView> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ todoId }: GetTodoQuery): Promise<TodoView> {
    const [row]: TodoViewRow[] = await this.dataSource.query(`SELECT ${TODO_VIEW_COLUMNS} FROM todos WHERE id = $1`, [todoId]);
    if (!row) throw new TodoNotFoundError(todoId);
    return toTodoView(row);
  }
}
