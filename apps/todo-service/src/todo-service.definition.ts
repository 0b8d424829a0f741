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
      "The platform's front door and its todo list: registers users and signs them in (POST /auth/token issues the access " +
      'token every service accepts), and takes every command on their todos — create, edit, change priority, complete, ' +
      'reopen, delete. Each todo is event-sourced: its events are stored, with their outbox entries, in the transaction ' +
      'that decided them, then published by the relay; the todo views it answers queries from are projections of the ' +
      "same events, read back from its own queue. It also tells a request's journey across the services (GET /journeys/:id).",
    tags: {
      todos: 'Commands on todos, each answering with the new version (also its ETag), and queries of the todo views.',
      users: 'Registering the users todos belong to.',
      events: 'The event store read back: the global stream in commit order, and one business flow by correlation id.',
    },
    errorStatuses: TODO_SERVICE_ERROR_STATUSES,
  },
  readModels: () => [{ model: todoViewsReadModel, source: (dataSource) => new StoreEventSource(dataSource, new EventStore()) }],
});
