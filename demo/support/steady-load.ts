/**
 * Open-loop load: requests are sent on a fixed schedule whatever the answers do, and each
 * latency counts from the request's scheduled time, so a system that slows down shows it
 * in the latency instead of lowering the load (as a closed loop of clients would).
 */
import { performance } from 'node:perf_hooks';
import { HttpAnswer } from './http-client';

export interface Sample {
  n: number;
  /** Scheduled send, ms after the load began. */
  at: number;
  /** From the scheduled send to the answer (or the failure). */
  latencyMs: number;
  status: number;
  ok: boolean;
  error?: string;
  /** The `id` and `version` the answer carried, when it did (a todo). */
  id?: number;
  version?: number;
}

export interface RunningLoad {
  /** performance.now() when the load began. */
  startedAt: number;
  /** ms since the load began. */
  now(): number;
  /** Requests answered so far. */
  samples: Sample[];
  /** Stops scheduling and waits for the answers still due. */
  stop(): Promise<Sample[]>;
}

export function startLoad({
  rate,
  send,
  ok = (answer) => answer.status >= 200 && answer.status < 300,
}: {
  rate: number;
  send: (n: number) => Promise<HttpAnswer>;
  ok?: (answer: HttpAnswer) => boolean;
}): RunningLoad {
  const startedAt = performance.now();
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = performance.now() - startedAt;
    while (!stopped && (n * 1000) / rate <= now) {
      const index = n++;
      const at = (index * 1000) / rate;
      const sent = send(index).then((answer) => {
        samples.push({
          n: index,
          at,
          latencyMs: performance.now() - startedAt - at,
          status: answer.status,
          ok: ok(answer),
          ...(answer.error ? { error: answer.error } : {}),
          ...(typeof answer.body?.id === 'number' ? { id: answer.body.id } : {}),
          ...(typeof answer.body?.version === 'number' ? { version: answer.body.version } : {}),
        });
      });
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
    }
    if (!stopped) timer = setTimeout(tick, Math.max(0, (n * 1000) / rate - (performance.now() - startedAt)));
  };
  tick();
  return {
    startedAt,
    now: () => performance.now() - startedAt,
    samples,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all([...inFlight]);
      return [...samples].sort((a, b) => a.n - b.n);
    },
  };
}
