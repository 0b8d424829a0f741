import { Query } from '@nestjs/cqrs';
import { EventPage } from '@todo/event-store';

export class ListEventsQuery extends Query<EventPage> {
  constructor(
    readonly after: number,
    readonly limit: number,
    readonly type?: string,
    /** Only this user's events; undefined for an admin, who sees every event. */
    readonly userId?: number,
  ) {
    super();
  }
}
