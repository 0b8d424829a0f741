import { PlatformEvent } from '@todo/events';
import { Logger, ProgressMeter } from '@todo/observability';
import { DataSource, EntityManager } from 'typeorm';
import { quoteIdent } from '@todo/database';
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
export interface RebuildOptions {
  batchSize?: number;
  logger: Logger;
  /** Where progress is drawn as a bar (a terminal); without one it is logged as `Rebuild progress` lines. */
  terminal?: NodeJS.WriteStream;
}

export async function rebuildReadModel(
  dataSource: DataSource,
  source: EventSource,
  model: RebuildableReadModel,
  { batchSize = 500, logger, terminal }: RebuildOptions,
): Promise<RebuildReport> {
  const startedAt = Date.now();
  // One rebuild of a model at a time: a second would drop the first one's shadow tables.
  const guard = dataSource.createQueryRunner();
  await guard.connect();
  const [{ locked }] = await guard.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`rebuild:${model.name}`]);
  if (!locked) {
    await guard.release();
    throw new Error(`a rebuild of ${model.name} is already running`);
  }
  try {
    const shadows = Object.fromEntries(model.tables.map((t) => [t, `${t}_rebuild`]));
    for (const [live, shadow] of Object.entries(shadows)) {
      await dataSource.query(`DROP TABLE IF EXISTS ${quoteIdent(shadow)}`);
      await dataSource.query(`CREATE TABLE ${quoteIdent(shadow)} (LIKE ${quoteIdent(live)} INCLUDING ALL)`);
    }

    let position = 0;
    let events = 0;
    const progress = new ProgressMeter({
      label: `rebuild ${model.name}`,
      unit: 'events',
      total: 0,
      terminal,
      report: (r) =>
        logger.info(
          {
            read_model: model.name,
            events: r.done,
            position,
            head_position: r.total,
            percent: Math.round(r.percent * 10) / 10,
            events_per_second: Math.round(r.rate),
            eta_seconds: r.etaSeconds === null ? null : Math.round(r.etaSeconds),
          },
          'Rebuild progress',
        ),
    });
    /** Replays everything after `position`; returns how many events it applied. */
    const replay = async (tx: EntityManager | undefined): Promise<number> => {
      let applied = 0;
      for (;;) {
        const { events: page, head } = await source.read(position, batchSize);
        if (page.length === 0) return applied;
        const run = async (manager: EntityManager) => {
          for (const stored of page) await model.apply(manager, stored.event, shadows);
        };
        await (tx ? run(tx) : dataSource.transaction(run));
        position = page[page.length - 1].position;
        events += page.length;
        applied += page.length;
        // Positions count every event of the stream, so position / head is the share replayed.
        progress.update(position, head);
      }
    };

    // Catch up without the lock until little is left, so the locked pass is short.
    while ((await replay(undefined)) > batchSize);
    await dataSource.transaction(async (tx) => {
      // Blocks the live consumer (and readers) only for the last catch-up and the swap;
      // gives up rather than queue every reader behind a long-running query.
      await tx.query(`SET LOCAL lock_timeout = '10s'`);
      await tx.query(`LOCK TABLE ${model.tables.map(quoteIdent).join(', ')} IN ACCESS EXCLUSIVE MODE`);
      await replay(tx);
      for (const [live, shadow] of Object.entries(shadows)) {
        const liveIndexes = await indexesOf(tx, live);
        const shadowIndexes = await indexesOf(tx, shadow);
        await tx.query(`ALTER TABLE ${quoteIdent(live)} RENAME TO ${quoteIdent(`${live}_replaced`)}`);
        await tx.query(`ALTER TABLE ${quoteIdent(shadow)} RENAME TO ${quoteIdent(live)}`);
        await tx.query(`DROP TABLE ${quoteIdent(`${live}_replaced`)}`);
        // The copies' indexes (and constraints) take the originals' names back, so names never drift.
        for (const [shape, name] of shadowIndexes) {
          const original = liveIndexes.get(shape);
          if (original && original !== name) await tx.query(`ALTER INDEX ${quoteIdent(name)} RENAME TO ${quoteIdent(original)}`);
        }
      }
    });
    progress.finish(position);
    const report = { readModel: model.name, events, lastPosition: position, seconds: (Date.now() - startedAt) / 1000 };
    logger.info(report, 'Rebuild done');
    return report;
  } finally {
    await guard.query('SELECT pg_advisory_unlock(hashtext($1))', [`rebuild:${model.name}`]).catch(() => undefined);
    await guard.release();
  }
}

/** A table's indexes by shape (their definition without index and table names) → name. */
async function indexesOf(tx: EntityManager, table: string): Promise<Map<string, string>> {
  const rows: { indexname: string; shape: string }[] = await tx.query(
    `SELECT indexname, regexp_replace(indexdef, '^.* USING ', '') AS shape FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1`,
    [table],
  );
  return new Map(rows.map((r) => [r.shape, r.indexname]));
}
