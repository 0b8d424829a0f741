import { PlatformEvent, validateEvent } from '@todo/events';
import { DataSource } from 'typeorm';
import { EventStore } from '../store/event-store';
import { StoredEvent } from '../store/stored-event';

/** A page of the global stream, and where the stream ends now. */
export interface EventPage {
  events: StoredEvent[];
  /** Global position of the latest committed event. */
  head: number;
}

/** Pages through the global event stream in commit order (positions from 1). */
export interface EventSource {
  read(after: number, limit: number): Promise<EventPage>;
}

/** The event store itself, when the read model lives next to it. */
export class StoreEventSource implements EventSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
  ) {}

  async read(after: number, limit: number): Promise<EventPage> {
    const events = await this.store.readAll(this.dataSource.manager, { after, limit });
    return { events, head: Math.max(await this.store.headPosition(this.dataSource.manager), events.at(-1)?.position ?? 0) };
  }
}

/**
 * Another service's `GET /events`, for read models in other services: they never touch
 * its database. Every event of the store is shown to an admin only, so the operator
 * running the rebuild passes an admin's access token.
 */
export class HttpEventSource implements EventSource {
  constructor(
    private readonly baseUrl: string,
    private readonly accessToken?: string,
  ) {}

  async read(after: number, limit: number): Promise<EventPage> {
    if (!this.accessToken) {
      throw new Error("rebuilding from another service needs REBUILD_ACCESS_TOKEN: an admin's access_token from POST /auth/token");
    }
    // GET /events pages at most 1,000 events.
    const response = await fetch(`${this.baseUrl.replace(/\/$/, '')}/events?after=${after}&limit=${Math.min(limit, 1_000)}`, {
      headers: { authorization: `Bearer ${this.accessToken}` },
    });
    if (!response.ok) throw new Error(`GET /events answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { events: StoredEvent<PlatformEvent>[]; head_position?: number };
    // Another service's answer is input like any message: validated (and upcast) before use.
    const events = page.events.map((stored) => {
      const checked = validateEvent(stored.event);
      if (!checked.ok) throw new Error(`event at position ${stored.position} is not readable: ${checked.reason}`);
      return { ...stored, event: checked.event };
    });
    const head = Number.isSafeInteger(page.head_position) ? Number(page.head_position) : 0;
    return { events, head: Math.max(head, events.at(-1)?.position ?? 0) };
  }
}
