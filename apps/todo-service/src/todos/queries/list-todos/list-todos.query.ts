import { Query } from '@nestjs/cqrs';
import { TodoView } from '../todo.view';

export interface ListTodosFilter {
  /** The caller: a user lists their own todos only. */
  userId: number;
  status?: 'open' | 'completed';
  limit: number;
  offset: number;
}

export class ListTodosQuery extends Query<TodoView[]> {
  constructor(readonly filter: ListTodosFilter) {
    super();
  }
}
