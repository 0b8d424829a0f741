import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventPage, EventStore } from '@todo/event-store';
import { DataSource } from 'typeorm';
import { ListEventsQuery } from './list-events.query';

@QueryHandler(ListEventsQuery)
export class ListEventsHandler implements IQueryHandler<ListEventsQuery, EventPage> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
  ) {}

  async execute({ after, limit, type, userId }: ListEventsQuery): Promise<EventPage> {
    // Appends that commit between the two reads may put the page past the head read first.
    const head = await this.store.headPosition(this.dataSource.manager);
    const events = await this.store.readAll(this.dataSource.manager, { after, limit, type, userId });
    return { events, head: Math.max(head, events.at(-1)?.position ?? 0) };
  }
}
