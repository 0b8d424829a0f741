import request from 'supertest';
import { TODO_PRIORITIES } from '@todo/events';
import { api } from './auth';

export interface LoadResult {
  commands: number;
  created: number[];
  statuses: Record<number, number>;
  /** Milliseconds per command, in completion order. */
  latencies: number[];
}

/**
 * Drives todo-service like a client would: creates todos, changes some priorities,
 * completes about half. A 503 (database restarting) is retried, as the Retry-After
 * header asks; any other failure is recorded.
 */
export async function runCommands(
  server: Parameters<typeof request>[0],
  { commands, concurrency = 8, onProgress }: { commands: number; concurrency?: number; onProgress?: (done: number) => void },
): Promise<LoadResult> {
  const result: LoadResult = { commands: 0, created: [], statuses: {}, latencies: [] };
  let issued = 0;
  const send = async (call: () => request.Test): Promise<request.Response> => {
    for (let attempt = 1; ; attempt++) {
      const startedAt = performance.now();
      const res = await call();
      result.latencies.push(performance.now() - startedAt);
      if (res.status !== 503 || attempt >= 50) {
        result.statuses[res.status] = (result.statuses[res.status] ?? 0) + 1;
        result.commands += 1;
        onProgress?.(result.commands);
        return res;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const worker = async () => {
    while (issued < commands) {
      const n = issued++;
      const open = result.created.filter((_, i) => i % 2 === 0);
      if (n % 4 === 3 && open.length > 0) {
        const id = open[n % open.length];
        await send(() => api(server).put(`/todos/${id}/complete`));
      } else if (n % 4 === 2 && result.created.length > 0) {
        const id = result.created[n % result.created.length];
        await send(() =>
          api(server)
            .put(`/todos/${id}/priority`)
            .send({ priority: TODO_PRIORITIES[n % 3] }),
        );
      } else {
        const res = await send(() =>
          api(server)
            .post('/todos')
            .send({ title: `load ${n}`, priority: TODO_PRIORITIES[n % 3] }),
        );
        if (res.status === 201) result.created.push(res.body.id);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
