import { PlatformEvent } from '@todo/events';
import { Logger } from '@todo/observability';
import { DataSource, EntityManager } from 'typeorm';
import { quoteIdent } from '../outbox/outbox-relay';
import { EventSource } from './event-source';

/** A read model that can be rebuilt from the event stream. */
export interface RebuildableReadModel {
  name: string;
  /** The model's tables; each is rebuilt as a shadow copy and swapped in. */
  tables: readonly string[];
  /**
   * Applies one event to the tables named in `tables` (live name → shadow name).
   * Must be idempotent: during the swap an event may reach both the rebuild and the
   * live consumer.
   */
  apply(tx: EntityManager, event: PlatformEvent, tables: Readonly<Record<string, string>>): Promise<void>;
}

export interface RebuildReport {
  readModel: string;
  events: number;
  lastPosition: number;
  seconds: number;
}

/**
 * Rebuilds a read model from scratch while the service keeps serving: replays every
 * event into shadow tables in batches, then — holding an exclusive lock on the live
 * tables for a moment — replays what arrived meanwhile and swaps the shadows in.
 * Side effects (mail) are not part of any read model and are never repeated.
 */
export async function rebuildReadModel(
  dataSource: DataSource,
  source: EventSource,
  model: RebuildableReadModel,
  { batchSize = 500, logger }: { batchSize?: number; logger: Logger },
): Promise<RebuildReport> {
  const startedAt = Date.now();
  const shadows = Object.fromEntries(model.tables.map((t) => [t, `${t}_rebuild`]));
  for (const [live, shadow] of Object.entries(shadows)) {
    await dataSource.query(`DROP TABLE IF EXISTS ${quoteIdent(shadow)}`);
    await dataSource.query(`CREATE TABLE ${quoteIdent(shadow)} (LIKE ${quoteIdent(live)} INCLUDING ALL)`);
  }

  let position = 0;
  let events = 0;
  const replay = async (tx: EntityManager | undefined): Promise<void> => {
    for (;;) {
      const page = await source.read(position, batchSize);
      if (page.length === 0) return;
      const run = async (manager: EntityManager) => {
        for (const stored of page) await model.apply(manager, stored.event, shadows);
      };
      await (tx ? run(tx) : dataSource.transaction(run));
      position = page[page.length - 1].position;
      events += page.length;
      logger.info({ read_model: model.name, events, position }, 'Rebuild progress');
    }
  };

  await replay(undefined);
  await dataSource.transaction(async (tx) => {
    // Blocks the live consumer (and readers) only for the catch-up and the swap.
    await tx.query(`LOCK TABLE ${model.tables.map(quoteIdent).join(', ')} IN ACCESS EXCLUSIVE MODE`);
    await replay(tx);
    for (const [live, shadow] of Object.entries(shadows)) {
      await tx.query(`ALTER TABLE ${quoteIdent(live)} RENAME TO ${quoteIdent(`${live}_replaced`)}`);
      await tx.query(`ALTER TABLE ${quoteIdent(shadow)} RENAME TO ${quoteIdent(live)}`);
      await tx.query(`DROP TABLE ${quoteIdent(`${live}_replaced`)}`);
    }
  });
  const report = { readModel: model.name, events, lastPosition: position, seconds: (Date.now() - startedAt) / 1000 };
  logger.info(report, 'Rebuild done');
  return report;
}
