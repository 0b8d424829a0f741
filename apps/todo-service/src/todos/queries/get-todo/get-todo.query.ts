import { Query } from '@nestjs/cqrs';
import { TodoView } from '../todo.view';

export class GetTodoQuery extends Query<TodoView> {
  constructor(
    readonly todoId: number,
    /** Read-your-own-writes: wait (briefly) until the view shows at least this version. */
    readonly minVersion?: number,
  ) {
    super();
  }
}
