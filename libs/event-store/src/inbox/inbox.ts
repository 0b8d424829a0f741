import { DataSource, EntityManager } from 'typeorm';
import { Delivery, MessageProcessing } from '@todo/messaging';

/**
 * The durable inbox: records each processed event id per consumer in the same
 * transaction as the handler's effects. A redelivered or duplicated event finds its
 * id taken and has no second effect — across restarts and across instances.
 */
export class Inbox extends MessageProcessing {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async process({ consumer, event }: Delivery, handle: (tx: EntityManager) => Promise<void>): Promise<'processed' | 'duplicate'> {
    return this.dataSource.transaction(async (tx) => {
      // A concurrent twin blocks here until the first commits (then sees the conflict) or rolls back.
      const inserted: unknown[] = await tx.query(
        `INSERT INTO inbox (consumer, event_id, event_type, aggregate_id)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumer, event.event_id, event.event_type, event.aggregate_id],
      );
      if (inserted.length === 0) return 'duplicate';
      await handle(tx);
      return 'processed';
    });
  }
}
