import { EventStore1764115200000, Inbox1764115200001 } from '@todo/event-store';
import { TodoViews1764115300000 } from './migrations/1764115300000-todo-views';

/** Every migration of this service's schema, in order. */
export const todoServiceMigrations = [EventStore1764115200000, Inbox1764115200001, TodoViews1764115300000];
