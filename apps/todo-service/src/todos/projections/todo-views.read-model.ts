import { RebuildableReadModel } from '@todo/event-store';
import { TodoEvent } from '@todo/events';
import { projectTodoEvent } from './todo-view.projection';

/** The `todos` view, rebuildable from the event store: `rebuild todo-views`. */
export const todoViewsReadModel: RebuildableReadModel = {
  name: 'todo-views',
  tables: ['todos'],
  apply: async (tx, event, tables) => {
    if (event.aggregate_type === 'todo') await projectTodoEvent(tx, event as TodoEvent, tables.todos);
  },
};
