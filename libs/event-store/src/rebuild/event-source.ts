import { PlatformEvent, validateEvent } from '@todo/events';
import { DataSource } from 'typeorm';
import { EventStore } from '../store/event-store';
import { StoredEvent } from '../store/stored-event';

/** Pages through the global event stream in commit order (positions from 1). */
export interface EventSource {
  read(after: number, limit: number): Promise<StoredEvent[]>;
}

/** The event store itself, when the read model lives next to it. */
export class StoreEventSource implements EventSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
  ) {}

  read(after: number, limit: number): Promise<StoredEvent[]> {
    return this.store.readAll(this.dataSource.manager, { after, limit });
  }
}

/** todo-service's `GET /events`, for read models in other services: they never touch its database. */
export class HttpEventSource implements EventSource {
  constructor(private readonly baseUrl: string) {}

  async read(after: number, limit: number): Promise<StoredEvent[]> {
    // GET /events pages at most 1,000 events.
    const response = await fetch(`${this.baseUrl.replace(/\/$/, '')}/events?after=${after}&limit=${Math.min(limit, 1_000)}`);
    if (!response.ok) throw new Error(`GET /events answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { events: StoredEvent<PlatformEvent>[] };
    // Another service's answer is input like any message: validated (and upcast) before use.
    return page.events.map((stored) => {
      const checked = validateEvent(stored.event);
      if (!checked.ok) throw new Error(`event at position ${stored.position} is not readable: ${checked.reason}`);
      return { ...stored, event: checked.event };
    });
  }
}
