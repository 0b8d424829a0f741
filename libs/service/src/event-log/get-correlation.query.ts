import { Query } from '@nestjs/cqrs';
import { StoredEvent } from '@todo/event-store';

export class GetCorrelationQuery extends Query<StoredEvent[]> {
  constructor(readonly correlationId: string) {
    super();
  }
}
