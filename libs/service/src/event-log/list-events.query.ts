import { Query } from '@nestjs/cqrs';
import { EventPage } from '@todo/event-store';

export class ListEventsQuery extends Query<EventPage> {
  constructor(
    readonly after: number,
    readonly limit: number,
    readonly type?: string,
  ) {
    super();
  }
}
