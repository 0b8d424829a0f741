import { DataSource } from 'typeorm';
import { PlatformEvent } from '@todo/events';
import { isDatabaseUnavailable } from '../database/database-errors';
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
  private readonly maxBatch: number;
  private readonly waiting: Pending[] = [];
  private writing = false;
  private pumpScheduled = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    options: EventAppenderOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH);
  }

  /** @throws ConcurrencyError when another writer got there first. */
  append(request: AppendRequest): Promise<PlatformEvent[]> {
    if (request.events.length === 0) return Promise.resolve([]);
    return this.store.inAppendSpan(
      request,
      () =>
        new Promise<PlatformEvent[]>((resolve, reject) => {
          this.waiting.push({ prepared: this.store.prepare(request), resolve, reject });
          // Appends that arrive in the same turn of the event loop share the first batch.
          if (!this.pumpScheduled) {
            this.pumpScheduled = true;
            setImmediate(() => {
              this.pumpScheduled = false;
              this.pump();
            });
          }
        }),
    );
  }

  private pump(): void {
    if (this.writing || this.waiting.length === 0) return;
    this.writing = true;
    const batch = this.waiting.splice(0, this.maxBatch);
    void this.write(batch).finally(() => {
      this.writing = false;
      this.pump();
    });
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const written = await this.store.appendAll(this.dataSource.manager, batch.map((p) => p.prepared));
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
