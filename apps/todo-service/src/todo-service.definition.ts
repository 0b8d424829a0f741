import { EventStore, StoreEventSource } from '@todo/event-store';
import { EventType, TODO_EVENT_TYPES } from '@todo/events';
import { TODO_VIEWS_QUEUE } from '@todo/messaging';
import { defineService } from '@todo/service';
import { TodoServiceConfig } from './config/todo-service.config';
import { todoServiceMigrations } from './infrastructure/database/todo-service.migrations';
import { TODO_SERVICE_ERROR_STATUSES } from './infrastructure/http/todo-service.error-statuses';
import { todoViewsReadModel } from './todos/projections/todo-views.read-model';
import { TodosModule } from './todos/todos.module';
import { JourneysModule } from './journeys/journeys.module';
import { UsersModule } from './users/users.module';

/**
 * todo-service: commands on event-sourced todos and users, their events stored with
 * their outbox entries and published by the relay; it reads its own events back from
 * its queue into the query views.
 */
export const todoService = defineService({
  name: 'todo-service',
  config: TodoServiceConfig,
  migrations: todoServiceMigrations,
  modules: [UsersModule, TodosModule, JourneysModule],
  eventLog: [...TODO_EVENT_TYPES, EventType.User.Registered],
  consumer: TODO_VIEWS_QUEUE,
  outbox: true,
  http: {
    description:
      'Commands emit domain events (todo.created, todo.completed, todo.priority_changed, user.registered) through a transactional outbox.',
    tags: {
      todos: 'Commands on todos, each answering with the new version (also its ETag), and queries of the todo views.',
      users: 'Registering the users todos belong to.',
      events: 'The event store read back: the global stream in commit order, and one business flow by correlation id.',
    },
    errorStatuses: TODO_SERVICE_ERROR_STATUSES,
  },
  readModels: () => [{ model: todoViewsReadModel, source: (dataSource) => new StoreEventSource(dataSource, new EventStore()) }],
});
