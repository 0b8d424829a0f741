import { Query } from '@nestjs/cqrs';
import { StoredEvent } from '@todo/event-store';

export class ListEventsQuery extends Query<StoredEvent[]> {
  constructor(
    readonly after: number,
    readonly limit: number,
    readonly type?: string,
  ) {
    super();
  }
}
