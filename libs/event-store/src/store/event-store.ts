import { EntityManager } from 'typeorm';
import { PlatformEvent } from '@todo/events';
import { inSpan } from '@todo/observability';
import { AppendRequest, PreparedAppend, appendAll, prepareAppend } from './append-to-stream';
import { EventFilter, headPosition, readAll, readCorrelation, readStream } from './read-events';
import { StoredEvent } from './stored-event';

export type { AppendRequest, PreparedAppend } from './append-to-stream';

/**
 * The PostgreSQL event store. Appending writes the events and their outbox entries
 * in the caller's transaction, so an event is published if and only if it is stored.
 * It knows no broker: an outbox entry says what the message is, and the relay decides
 * where and how it travels.
 */
export class EventStore {
  /** A stream's events in version order (the aggregate's history). */
  readStream<TEvent extends PlatformEvent = PlatformEvent>(manager: EntityManager, streamId: string): Promise<StoredEvent<TEvent>[]> {
    return readStream<TEvent>(manager, streamId);
  }

  /**
   * Appends events at expectedVersion + 1, + 2, ... and queues them for publishing.
   * It is one statement, so it is atomic on its own; run it in the caller's transaction
   * (`manager` from `dataSource.transaction`) when other writes must commit with it.
   * @throws ConcurrencyError when another writer got there first.
   */
  async append(manager: EntityManager, request: AppendRequest): Promise<PlatformEvent[]> {
    if (request.events.length === 0) return [];
    return this.inAppendSpan(request, async () => (await this.appendAll(manager, [this.prepare(request)]))[0]);
  }

  /** The span of one append, named after the stream type, with what a trace reader looks for. */
  inAppendSpan<T>(request: AppendRequest, work: () => Promise<T>): Promise<T> {
    return inSpan(
      `append ${request.streamType}`,
      {
        attributes: {
          'db.system.name': 'postgresql',
          'todo.aggregate_id': request.streamId,
          'todo.correlation_id': request.causation.correlationId,
          'todo.event_types': request.events.map((e) => e.type).join(','),
        },
      },
      work,
    );
  }

  /** Turns a request into its events, in the caller's context (its trace goes into the outbox). */
  prepare(request: AppendRequest): PreparedAppend {
    return prepareAppend(request);
  }

  /** Several prepared requests in one statement (see append-to-stream.ts). */
  appendAll(manager: EntityManager, prepared: readonly PreparedAppend[]): Promise<PlatformEvent[][]> {
    return appendAll(manager, prepared);
  }

  /** Events of all streams after `position`, in commit order. */
  readAll(manager: EntityManager, page: { after: number; limit: number } & EventFilter): Promise<StoredEvent[]> {
    return readAll(manager, page);
  }

  /** Every event of one business flow, in commit order. */
  readCorrelation(manager: EntityManager, correlationId: string, filter: EventFilter = {}): Promise<StoredEvent[]> {
    return readCorrelation(manager, correlationId, filter);
  }

  /** Global position of the latest committed event (0 for an empty store). */
  headPosition(manager: EntityManager): Promise<number> {
    return headPosition(manager);
  }
}
