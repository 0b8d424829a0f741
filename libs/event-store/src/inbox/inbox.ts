import { AsyncResource } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { Delivery, DependencyUnavailableError, HandlerContext, MessageProcessing } from '@todo/messaging';
import { Logger } from '@todo/observability';
import { isDatabaseUnavailable } from '@todo/database';
import { GroupCommitQueue } from '@todo/database';

/** What a handler gets from the inbox: its transaction, and a place for work that must wait for the commit. */
export interface InboxScope {
  tx: EntityManager;
  /** Runs `task` once the transaction has committed (never if it rolls back). */
  afterCommit(task: () => void): void;
}

/** What an inbox handler receives besides the message: `(event, { tx, afterCommit, attempt }: InboxContext)`. */
export type InboxContext = HandlerContext<InboxScope>;

export interface InboxOptions {
  /** Most deliveries committed together in one transaction. 1 turns group commits off. */
  maxBatch?: number;
  /** Inbox transactions open at once (each holds a pooled connection). */
  concurrency?: number;
}

type Outcome = 'processed' | 'duplicate';

interface Pending {
  delivery: Delivery;
  /** The handler, bound to the async context (correlation, trace) of its own delivery. */
  handle: (scope: InboxScope) => Promise<void>;
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}

interface AfterCommitTask {
  /** Bound to the async context of the delivery that registered it. */
  task: () => void;
  eventId: string;
}

function scopeOf(tx: EntityManager, committed: AfterCommitTask[], delivery: Delivery): InboxScope {
  return {
    tx,
    afterCommit: (task) => {
      const context = new AsyncResource('inbox.after-commit');
      committed.push({ task: () => context.runInAsyncScope(task), eventId: delivery.meta.id });
    },
  };
}

const DEFAULT_MAX_BATCH = 100;
const DEFAULT_CONCURRENCY = 2;

/**
 * The durable inbox: records each processed event id per consumer in the same
 * transaction as the handler's effects. A redelivered or duplicated event finds its
 * id taken and has no second effect — across restarts and across instances.
 *
 * Group commit: deliveries that arrive while inbox transactions are busy wait and
 * are then committed together — one inbox insert for all their ids, each handler in
 * turn in the same transaction, one commit — so a backlog costs one commit per batch,
 * not per message, while a lone message is committed at once. A message is acked
 * only after its batch committed. If anything in a batch fails (a handler throws, a
 * deadlock), the batch rolls back and each of its deliveries is run again in a
 * transaction of its own, so a failure stays with the message that caused it.
 */
export class Inbox extends MessageProcessing {
  private readonly queue: GroupCommitQueue<Pending>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    options: InboxOptions = {},
  ) {
    super();
    this.queue = new GroupCommitQueue((batch) => this.runBatch(batch), {
      maxBatch: Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH),
      concurrency: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY),
    });
  }

  process(delivery: Delivery, handle: (scope: InboxScope) => Promise<void>): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      const context = new AsyncResource('inbox.delivery');
      const bound = (scope: InboxScope) => context.runInAsyncScope(handle, undefined, scope);
      this.queue.add({ delivery, handle: bound, resolve, reject });
    });
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return this.runAlone(batch[0]);
    let outcomes: Map<Pending, Outcome>;
    let committed: AfterCommitTask[];
    try {
      ({ outcomes, committed } = await this.commitTogether(batch));
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        const unavailable = new DependencyUnavailableError('postgres', error);
        for (const item of batch) item.reject(unavailable);
        return;
      }
      this.logger.info(
        { reason: error instanceof Error ? error.message : String(error), batch: batch.length },
        'Inbox batch rolled back; running its deliveries one by one',
      );
      for (const item of batch) await this.runAlone(item);
      return;
    }
    this.runAfterCommit(committed);
    for (const item of batch) item.resolve(outcomes.get(item)!);
  }

  private async commitTogether(batch: Pending[]): Promise<{ outcomes: Map<Pending, Outcome>; committed: AfterCommitTask[] }> {
    const consumer = batch[0].delivery.consumer;
    // The first delivery of an event id does the work; a twin in the same batch is its duplicate.
    const firsts = new Map<string, Pending>();
    for (const item of batch) if (!firsts.has(item.delivery.meta.id)) firsts.set(item.delivery.meta.id, item);
    // Ids in a fixed order, so two batches waiting on each other's ids cannot deadlock.
    const ids = [...firsts.keys()].sort();
    const metas = ids.map((id) => firsts.get(id)!.delivery.meta);
    const committed: AfterCommitTask[] = [];
    const outcomes = new Map<Pending, Outcome>();
    await this.dataSource.transaction(async (tx) => {
      const inserted: { event_id: string }[] = await tx.query(
        `INSERT INTO inbox (consumer, event_id, event_type, aggregate_id)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumer, ids, metas.map((m) => m.type), metas.map((m) => m.key)],
      );
      const fresh = new Set(inserted.map((row) => row.event_id));
      // Handlers run one after another in arrival order; they share the transaction.
      for (const item of batch) {
        const isNew = firsts.get(item.delivery.meta.id) === item && fresh.has(item.delivery.meta.id);
        if (isNew) await item.handle(scopeOf(tx, committed, item.delivery));
        outcomes.set(item, isNew ? 'processed' : 'duplicate');
      }
    });
    return { outcomes, committed };
  }

  private async runAlone(item: Pending): Promise<void> {
    const { consumer, meta } = item.delivery;
    const committed: AfterCommitTask[] = [];
    try {
      const outcome = await this.dataSource.transaction(async (tx) => {
        // A concurrent twin blocks here until the first commits (then sees the conflict) or rolls back.
        const inserted: unknown[] = await tx.query(
          `INSERT INTO inbox (consumer, event_id, event_type, aggregate_id)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING event_id`,
          [consumer, meta.id, meta.type, meta.key],
        );
        if (inserted.length === 0) return 'duplicate' as const;
        await item.handle(scopeOf(tx, committed, item.delivery));
        return 'processed' as const;
      });
      this.runAfterCommit(committed);
      item.resolve(outcome);
    } catch (error) {
      item.reject(isDatabaseUnavailable(error) ? new DependencyUnavailableError('postgres', error) : error);
    }
  }

  private runAfterCommit(tasks: AfterCommitTask[]): void {
    for (const { task, eventId } of tasks) {
      try {
        task();
      } catch (error) {
        this.logger.error({ err: error, event_id: eventId }, 'After-commit task failed');
      }
    }
  }
}
