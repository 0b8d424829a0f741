// Direct paths, not the library's index: the TypeORM CLI loads this list without the whole library.
import { EventStore1764115200000 } from '@todo/event-store/migrations/1764115200000-event-store';
import { Inbox1764115200001 } from '@todo/event-store/migrations/1764115200001-inbox';
import { OutboxMessages1764115200002 } from '@todo/event-store/migrations/1764115200002-outbox-messages';
import { EventsByUser1764116000000 } from '@todo/event-store/migrations/1764116000000-events-by-user';
import { TodoViews1764115300000 } from './migrations/1764115300000-todo-views';
import { UserCredentials1764115900000 } from './migrations/1764115900000-user-credentials';
import { JourneySteps1764117000000 } from '@todo/event-store/migrations/1764117000000-journey-steps';

/** Every migration of this service's schema, in order. */
export const todoServiceMigrations = [
  EventStore1764115200000,
  Inbox1764115200001,
  OutboxMessages1764115200002,
  TodoViews1764115300000,
  UserCredentials1764115900000,
  EventsByUser1764116000000,
  JourneySteps1764117000000,
];
