import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventStore, StoredEvent } from '@todo/event-store';
import { DataSource } from 'typeorm';
import { ListEventsQuery } from './list-events.query';

@QueryHandler(ListEventsQuery)
export class ListEventsHandler implements IQueryHandler<ListEventsQuery, StoredEvent[]> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
  ) {}

  execute({ after, limit, type }: ListEventsQuery): Promise<StoredEvent[]> {
    return this.store.readAll(this.dataSource.manager, { after, limit, type });
  }
}
