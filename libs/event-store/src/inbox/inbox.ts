import { DataSource, EntityManager } from 'typeorm';
import { Delivery, DependencyUnavailableError, MessageProcessing } from '@todo/messaging';
import { Logger } from '@todo/observability';
import { isDatabaseUnavailable } from '../database/database-errors';

/** What a handler gets from the inbox: its transaction, and a place for work that must wait for the commit. */
export interface InboxScope {
  tx: EntityManager;
  /** Runs `task` once the transaction has committed (never if it rolls back). */
  afterCommit(task: () => void): void;
}

/**
 * The durable inbox: records each processed event id per consumer in the same
 * transaction as the handler's effects. A redelivered or duplicated event finds its
 * id taken and has no second effect — across restarts and across instances.
 */
export class Inbox extends MessageProcessing {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {
    super();
  }

  async process({ consumer, event }: Delivery, handle: (scope: InboxScope) => Promise<void>): Promise<'processed' | 'duplicate'> {
    const committed: (() => void)[] = [];
    const outcome = await this.dataSource
      .transaction(async (tx) => {
      // A concurrent twin blocks here until the first commits (then sees the conflict) or rolls back.
      const inserted: unknown[] = await tx.query(
        `INSERT INTO inbox (consumer, event_id, event_type, aggregate_id)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumer, event.event_id, event.event_type, event.aggregate_id],
      );
      if (inserted.length === 0) return 'duplicate' as const;
      await handle({ tx, afterCommit: (task) => committed.push(task) });
      return 'processed' as const;
      })
      .catch((error: unknown) => {
        throw isDatabaseUnavailable(error) ? new DependencyUnavailableError('postgres', error) : error;
      });
    for (const task of committed) {
      try {
        task();
      } catch (error) {
        this.logger.error({ err: error, event_id: event.event_id }, 'After-commit task failed');
      }
    }
    return outcome;
  }
}
