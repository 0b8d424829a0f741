import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@todo/event-store';
import { TodoEvent } from '@todo/events';
import { DataSource } from 'typeorm';
import { todoStreamId } from '../../domain/todo.aggregate';
import { TodoNotFoundError } from '../../domain/todo.errors';
import { GetTodoEventsQuery, TodoStreamEntry } from './get-todo-events.query';

@QueryHandler(GetTodoEventsQuery)
export class GetTodoEventsHandler implements IQueryHandler<GetTodoEventsQuery, TodoStreamEntry[]> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
  ) {}

  async execute({ todoId, ownerId }: GetTodoEventsQuery): Promise<TodoStreamEntry[]> {
    const stream = await this.store.readStream<TodoEvent>(this.dataSource.manager, todoStreamId(todoId));
    if (stream.length === 0 || stream[0].event.user_id !== ownerId) throw new TodoNotFoundError(todoId);
    return stream;
  }
}
