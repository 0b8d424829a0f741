// Direct paths, not the library's index: the TypeORM CLI loads this list without the whole library.
import { EventStore1764115200000 } from '@todo/event-store/migrations/1764115200000-event-store';
import { Inbox1764115200001 } from '@todo/event-store/migrations/1764115200001-inbox';
import { OutboxMessages1764115200002 } from '@todo/event-store/migrations/1764115200002-outbox-messages';
import { EventsByUser1764116000000 } from '@todo/event-store/migrations/1764116000000-events-by-user';
import { Stock1764115600000 } from './migrations/1764115600000-stock';
import { JourneySteps1764117000000 } from '@todo/event-store/migrations/1764117000000-journey-steps';

/**
 * Every migration of this service's schema, in order. The event store's first migration
 * brings the outbox its replies leave through (its events table stays empty: stock is
 * kept in tables, not event-sourced).
 */
export const inventoryServiceMigrations = [
  EventStore1764115200000,
  Inbox1764115200001,
  OutboxMessages1764115200002,
  Stock1764115600000,
  EventsByUser1764116000000,
  JourneySteps1764117000000,
];
