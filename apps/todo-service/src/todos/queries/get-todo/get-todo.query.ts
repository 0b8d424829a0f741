import { Query } from '@nestjs/cqrs';
import { TodoView } from '../todo.view';

export class GetTodoQuery extends Query<TodoView> {
  constructor(
    readonly todoId: number,
    /** The caller: another user's todo is not found. */
    readonly ownerId: number,
    /** Read-your-own-writes: wait (briefly) until the view shows at least this version. */
    readonly minVersion?: number,
  ) {
    super();
  }
}
