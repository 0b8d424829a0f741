import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventStore, StoredEvent } from '@todo/event-store';
import { DataSource } from 'typeorm';
import { GetCorrelationQuery } from './get-correlation.query';

@QueryHandler(GetCorrelationQuery)
export class GetCorrelationHandler implements IQueryHandler<GetCorrelationQuery, StoredEvent[]> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
  ) {}

  execute({ correlationId, userId }: GetCorrelationQuery): Promise<StoredEvent[]> {
    return this.store.readCorrelation(this.dataSource.manager, correlationId, { userId });
  }
}
