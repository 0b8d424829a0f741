export interface GroupCommitOptions {
  /** Most items handed to one write. */
  maxBatch: number;
  /** Writes running at once. */
  concurrency: number;
}

/**
 * The waiting room of a group commit: items that arrive while writes are busy wait,
 * and each free write takes up to `maxBatch` of them at once. Items added in one turn
 * of the event loop (one socket read, one burst of callers) join the same batch, and
 * a lone item is written at once. `write` settles every item of its batch itself and
 * never rejects.
 */
export class GroupCommitQueue<T> {
  private readonly waiting: T[] = [];
  private running = 0;
  private pumpScheduled = false;

  constructor(
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly options: GroupCommitOptions,
  ) {}

  add(item: T): void {
    this.waiting.push(item);
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(() => {
        this.pumpScheduled = false;
        this.pump();
      });
    }
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.running += 1;
      void this.write(batch).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }
}
