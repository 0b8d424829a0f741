import { Query } from '@nestjs/cqrs';
import { TodoView } from '../todo.view';

export class GetTodoQuery extends Query<TodoView> {
  constructor(readonly todoId: number) {
    super();
  }
}
