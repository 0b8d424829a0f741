/**
 * How loading an aggregate grows with its number of events: appends streams of 10,
 * 1,000 and 10,000 events to a scratch schema, then times the repository's load path
 * (read the stream, upcast, fold) several times and prints medians, as ratios against
 * the 10-event stream measured in the same run.
 *
 *   npm run bench:aggregate
 */
import { performance } from 'node:perf_hooks';
import { EventStore, EventStore1764115200000, createDataSource, migrate } from '@todo/event-store';
import { NewEvent, TodoEvent, TodoEventType, splitEvent } from '@todo/events';
import { TODO_EVENTS_EXCHANGE } from '@todo/messaging';
import { createLogger } from '@todo/observability';
import { TodoDomainEvent, rebuild } from '../apps/todo-service/src/todos/domain/todo.aggregate';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SIZES = [10, 1_000, 10_000];
const RUNS = 9;

async function main(): Promise<void> {
  const schema = `bench_aggregate_${process.pid}`;
  const dataSource = createDataSource({ url: DATABASE_URL, schema, migrations: [EventStore1764115200000], poolSize: 2 });
  await dataSource.initialize();
  await migrate(dataSource, schema, createLogger({ service: 'bench', level: 'warn' }));
  const store = new EventStore(TODO_EVENTS_EXCHANGE);
  try {
    const results: { events: number; medianMs: number; perEventUs: number }[] = [];
    for (const size of SIZES) {
      const streamId = `todo-${size}`;
      const created: NewEvent<TodoEvent> = {
        type: TodoEventType.Created,
        version: 2,
        data: { todo_id: size, user_id: 1, title: 'bench', description: 'x'.repeat(100), priority: 'medium' },
      };
      for (let written = 0; written < size; ) {
        const batch: NewEvent<TodoEvent>[] = [];
        while (batch.length < 1_000 && written + batch.length < size) {
          const n = written + batch.length;
          batch.push(n === 0 ? created : { type: TodoEventType.Edited, version: 1, data: { todo_id: size, user_id: 1, title: `edit ${n}`, description: 'x'.repeat(100) } });
        }
        await dataSource.transaction((tx) =>
          store.append(tx, { streamId, streamType: 'todo', expectedVersion: written, events: batch, causation: { correlationId: 'bench', causationId: 'bench' } }),
        );
        written += batch.length;
      }
      const timings: number[] = [];
      for (let run = 0; run < RUNS + 1; run++) {
        const startedAt = performance.now();
        const stored = await store.readStream<TodoEvent>(dataSource.manager, streamId);
        const state = rebuild(stored.map((s) => toDomain(s.event)));
        const elapsed = performance.now() - startedAt;
        if (!state) throw new Error('no state');
        if (run > 0) timings.push(elapsed); // the first run warms caches
      }
      timings.sort((a, b) => a - b);
      const medianMs = timings[Math.floor(timings.length / 2)];
      results.push({ events: size, medianMs, perEventUs: (medianMs * 1000) / size });
    }
    const base = results[0].medianMs;
    process.stdout.write('\nLoading one aggregate (read stream + upcast + fold), median of 9 runs\n');
    process.stdout.write('events    median ms   µs/event   × the 10-event load\n');
    for (const r of results) {
      process.stdout.write(
        `${String(r.events).padStart(6)}   ${r.medianMs.toFixed(2).padStart(9)}   ${r.perEventUs.toFixed(1).padStart(8)}   ${(r.medianMs / base).toFixed(1).padStart(8)}\n`,
      );
    }
  } finally {
    await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource.destroy();
  }
}

function toDomain(event: TodoEvent): TodoDomainEvent {
  const { envelope, data } = splitEvent(event);
  return { type: envelope.event_type, version: envelope.event_version, data } as TodoDomainEvent;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
