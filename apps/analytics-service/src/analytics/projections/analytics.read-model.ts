import { RebuildableReadModel } from '@todo/event-store';
import { TodoEvent } from '@todo/events';
import { projectTodoFact } from './todo-facts.projection';

/** Every analytics table, rebuildable from todo-service's event stream: `rebuild analytics`. */
export const analyticsReadModel: RebuildableReadModel = {
  name: 'analytics',
  tables: ['todo_facts', 'todo_changes'],
  apply: async (tx, event, tables) => {
    if (event.aggregate_type === 'todo') {
      await projectTodoFact(tx, event as TodoEvent, { facts: tables.todo_facts, changes: tables.todo_changes });
    }
  },
};
