import { Query } from '@nestjs/cqrs';
import { StoredEvent } from '@todo/event-store';

export class GetCorrelationQuery extends Query<StoredEvent[]> {
  constructor(
    readonly correlationId: string,
    /** Only this user's events; undefined for an admin, who sees every event. */
    readonly userId?: number,
  ) {
    super();
  }
}
