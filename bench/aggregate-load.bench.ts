/**
 * How loading an aggregate grows with its number of events (no target; README "Stream
 * length"): appends streams of 10, 1,000 and 10,000 events to a scratch schema, then times
 * the repository's load path (read the stream, upcast, fold) several times and reports
 * medians, as ratios against the 10-event stream measured in the same run.
 *
 *   npm run bench                   (all cases; BENCH_ONLY=aggregate for this one)
 *   npm run bench:aggregate         (this file alone)
 */
import { performance } from 'node:perf_hooks';
import { EventStore, EventStore1764115200000, OutboxMessages1764115200002 } from '@todo/event-store';
import { createDataSource, migrate } from '@todo/database';
import { NewEvent, TodoEvent, TodoEventType, splitEvent } from '@todo/events';
import { createLogger } from '@todo/observability';
import { TodoDomainEvent, rebuild } from '../apps/todo-service/src/todos/domain/todo.aggregate';
import { testSchema } from '../test/support/postgres';
import { BenchCase, BenchRow, BenchSettings } from './support/bench-case';
import { median, runBench } from './support/harness';

const SIZES = [10, 1_000, 10_000];

async function aggregateLoad(settings: BenchSettings): Promise<BenchRow[]> {
  // Loads are short: more of them than the other cases' runs (the first of each warms caches).
  const runs = settings.smoke ? 3 : Math.max(9, settings.runs);
  const schema = testSchema('bench_aggregate');
  const dataSource = createDataSource({
    url: settings.databaseUrl,
    schema,
    migrations: [EventStore1764115200000, OutboxMessages1764115200002],
    poolSize: 2,
  });
  await dataSource.initialize();
  await migrate(dataSource, schema, createLogger({ service: 'bench', level: 'warn' }));
  const store = new EventStore();
  try {
    const results: { events: number; timings: number[] }[] = [];
    for (const size of SIZES) {
      const streamId = `todo-${size}`;
      const created: NewEvent<TodoEvent> = {
        type: TodoEventType.Created,
        version: 2,
        data: { todo_id: size, user_id: 1, title: 'bench', description: 'x'.repeat(100), priority: 'medium' },
      };
      for (let written = 0; written < size;) {
        const batch: NewEvent<TodoEvent>[] = [];
        while (batch.length < 1_000 && written + batch.length < size) {
          const n = written + batch.length;
          batch.push(
            n === 0
              ? created
              : {
                  type: TodoEventType.Edited,
                  version: 1,
                  data: { todo_id: size, user_id: 1, title: `edit ${n}`, description: 'x'.repeat(100) },
                },
          );
        }
        await dataSource.transaction((tx) =>
          store.append(tx, {
            streamId,
            streamType: 'todo',
            expectedVersion: written,
            events: batch,
            causation: { correlationId: 'bench', causationId: 'bench' },
          }),
        );
        written += batch.length;
      }
      const timings: number[] = [];
      for (let run = 0; run < runs + 1; run++) {
        const startedAt = performance.now();
        const stored = await store.readStream<TodoEvent>(dataSource.manager, streamId);
        const state = rebuild(stored.map((s) => toDomain(s.event)));
        const elapsed = performance.now() - startedAt;
        if (!state) throw new Error('no state');
        if (run > 0) timings.push(elapsed); // the first run warms caches
      }
      results.push({ events: size, timings });
    }
    const base = { name: `load of ${SIZES[0]} events`, value: median(results[0].timings), samples: results[0].timings };
    return results.map((r) => ({
      group: 'aggregate load (no target)',
      name: `load of ${r.events.toLocaleString('en-US')} events`,
      unit: 'ms',
      value: median(r.timings),
      samples: r.timings,
      ...(r.events === SIZES[0] ? {} : { baseline: base }),
      note: `read stream + upcast + fold, median of ${runs}; ${((median(r.timings) * 1000) / r.events).toFixed(1)} µs/event`,
    }));
  } finally {
    await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource.destroy();
  }
}

function toDomain(event: TodoEvent): TodoDomainEvent {
  const { envelope, data } = splitEvent(event);
  return { type: envelope.event_type, version: envelope.event_version, data } as TodoDomainEvent;
}

export const aggregateCases: BenchCase[] = [{ id: 'aggregate', run: aggregateLoad }];

if (require.main === module) void runBench(aggregateCases, 'aggregate');
