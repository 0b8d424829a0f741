import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { TODO_VIEW_COLUMNS, TodoView, TodoViewRow, toTodoView } from '../todo.view';
import { ListTodosQuery } from './list-todos.query';

@QueryHandler(ListTodosQuery)
export class ListTodosHandler implements IQueryHandler<ListTodosQuery, TodoView[]> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter }: ListTodosQuery): Promise<TodoView[]> {
    const rows: TodoViewRow[] = await this.dataSource.query(
      `SELECT ${TODO_VIEW_COLUMNS} FROM todos
        WHERE user_id = $1 AND status <> 'deleted' AND ($2::text IS NULL OR status = $2)
        ORDER BY id LIMIT $3 OFFSET $4`,
      [filter.userId, filter.status ?? null, filter.limit, filter.offset],
    );
    return rows.map(toTodoView);
  }
}
