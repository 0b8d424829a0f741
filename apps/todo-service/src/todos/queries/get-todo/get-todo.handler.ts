import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { TodoNotFoundError } from '../../domain/todo.errors';
import { TodoViewNotCaughtUpError } from '../todo-view-not-caught-up.error';
import { TODO_VIEW_COLUMNS, TodoView, TodoViewRow, toTodoView } from '../todo.view';
import { GetTodoQuery } from './get-todo.query';

/** How long a read-your-own-writes query waits for the view; views lag by milliseconds normally. */
const CATCH_UP_WAIT_MS = 2_000;
const CATCH_UP_POLL_MS = 10;

@QueryHandler(GetTodoQuery)
export class GetTodoHandler implements IQueryHandler<GetTodoQuery, TodoView> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ todoId, ownerId, minVersion }: GetTodoQuery): Promise<TodoView> {
    const deadline = Date.now() + CATCH_UP_WAIT_MS;
    for (;;) {
      const [row]: TodoViewRow[] = await this.dataSource.query(`SELECT ${TODO_VIEW_COLUMNS} FROM todos WHERE id = $1`, [todoId]);
      // Another user's todo is not found at once, so waiting for a version gives nothing away either.
      if (row && row.user_id !== ownerId) throw new TodoNotFoundError(todoId);
      const version = row?.version ?? 0;
      if (minVersion === undefined || version >= minVersion) {
        if (!row || row.status === 'deleted') throw new TodoNotFoundError(todoId);
        return toTodoView(row);
      }
      if (Date.now() >= deadline) throw new TodoViewNotCaughtUpError(todoId, minVersion, version);
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
    }
  }
}
