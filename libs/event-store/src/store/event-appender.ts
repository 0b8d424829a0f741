import { DataSource } from 'typeorm';
import { PlatformEvent } from '@todo/events';
import { isDatabaseUnavailable } from '@todo/database';
import { GroupCommitQueue } from '@todo/database';
import { AppendRequest, EventStore, PreparedAppend } from './event-store';

export interface EventAppenderOptions {
  /** Most appends written by one statement. 1 turns group commits off. */
  maxBatch?: number;
}

interface Pending {
  prepared: PreparedAppend;
  resolve(events: PlatformEvent[]): void;
  reject(error: unknown): void;
}

const DEFAULT_MAX_BATCH = 100;

/**
 * Group commit for appends that need no other write in their transaction (a command
 * whose decision rests on a stream it read: the expected version guards it).
 *
 * Every append takes the one position lock and holds it until commit, so commits of
 * appends follow one another. Appends that arrive while one is being written wait, and
 * are then written together by one statement and one commit — positions still in
 * commit order, each append still all or nothing. If the batch fails (a version taken
 * by another writer), each of its appends is written again alone, so a
 * ConcurrencyError reaches only the command that lost the race.
 */
export class EventAppender {
  private readonly queue: GroupCommitQueue<Pending>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    options: EventAppenderOptions = {},
  ) {
    // One write at a time: appends wait for the position lock anyway.
    this.queue = new GroupCommitQueue((batch) => this.write(batch), {
      maxBatch: Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH),
      concurrency: 1,
    });
  }

  /** @throws ConcurrencyError when another writer got there first. */
  append(request: AppendRequest): Promise<PlatformEvent[]> {
    if (request.events.length === 0) return Promise.resolve([]);
    return this.store.inAppendSpan(
      request,
      () => new Promise<PlatformEvent[]>((resolve, reject) => this.queue.add({ prepared: this.store.prepare(request), resolve, reject })),
    );
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const written = await this.store.appendAll(
        this.dataSource.manager,
        batch.map((p) => p.prepared),
      );
      batch.forEach((p, i) => p.resolve(written[i]));
      return;
    } catch (error) {
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        for (const p of batch) p.reject(error);
        return;
      }
    }
    for (const p of batch) {
      await this.store.appendAll(this.dataSource.manager, [p.prepared]).then(([events]) => p.resolve(events), p.reject);
    }
  }
}
