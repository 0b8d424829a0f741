import { EventStore } from '@todo/event-store';
import { TodoEvent, TodoEventType } from '@todo/events';
import { DataSource } from 'typeorm';
import { captureLogs } from '../../../../../test/support/logs';
import { dropSchemas } from '../../../../../test/support/postgres';
import { causation, eventStoreSchema, todoCreated } from '../../../../../test/support/event-store-fixture';
import { todoServiceMigrations } from '../../infrastructure/database/todo-service.migrations';
import { TodoViewBehindError } from './todo-view-behind.error';
import { TodoViewProjection, projectTodoEvent } from './todo-view.projection';

describe('the todo view, fed out of order (real PostgreSQL)', () => {
  const store = new EventStore();
  let schema: string;
  const projection = new TodoViewProjection(store);
  let dataSource: DataSource;
  let events: TodoEvent[];

  beforeAll(async () => {
    ({ schema, dataSource } = await eventStoreSchema('todo_view_order', captureLogs('todo-view').logger, todoServiceMigrations));
    // One todo's stream, versions 1 to 4: created, retitled, prioritised, completed.
    events = (await dataSource.transaction((tx) =>
      store.append(tx, {
        streamId: 'todo-7',
        streamType: 'todo',
        expectedVersion: 0,
        causation: causation('order-test'),
        events: [
          todoCreated(7, 'first title'),
          { type: TodoEventType.Edited, version: 1, data: { todo_id: 7, user_id: 1, title: 'second title', description: 'edited' } },
          {
            type: TodoEventType.PriorityChanged,
            version: 1,
            data: { todo_id: 7, user_id: 1, priority: 'high', previous_priority: 'medium' },
          },
          {
            type: TodoEventType.Completed,
            version: 1,
            data: { todo_id: 7, user_id: 1, title: 'second title', completed_at: new Date().toISOString() },
          },
        ],
      }),
    )) as TodoEvent[];
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (schema) await dropSchemas(schema);
  });

  const view = async () => (await dataSource.query(`SELECT title, priority, status, version FROM todos WHERE id = 7`))[0];
  const deliver = (event: TodoEvent) => dataSource.transaction((tx) => projection.apply(event, { tx } as never));

  it('without the store to read from, an event ahead of its predecessors fails (and would be retried)', async () => {
    await expect(dataSource.transaction((tx) => projectTodoEvent(tx, events[2]))).rejects.toThrow(TodoViewBehindError);
    expect(await view()).toBeUndefined();
  });

  it('brings itself up to an event that overtook its predecessors, from the event store, and skips them when they come', async () => {
    await deliver(events[2]);
    expect(await view()).toEqual({ title: 'second title', priority: 'high', status: 'open', version: 3 });
    // The overtaken ones arrive late: already in the view.
    await deliver(events[0]);
    await deliver(events[1]);
    expect(await view()).toEqual({ title: 'second title', priority: 'high', status: 'open', version: 3 });
    await deliver(events[3]);
    expect(await view()).toMatchObject({ status: 'completed', version: 4 });
  });
});
