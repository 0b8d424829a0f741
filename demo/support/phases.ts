import { HttpAnswer } from './http-client';
import { Sample, startLoad } from './steady-load';

/**
 * Lets a measurement window run: the load is steady and the window's length is the
 * experiment's design, so this is the one timer the demos use besides polling.
 */
export function measureFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Samples as [scheduled at ms, latency ms, status] triples, for the raw results. */
export function compact(samples: Sample[]): [number, number, number][] {
  return samples.map((s) => [Math.round(s.at), Number(s.latencyMs.toFixed(2)), s.status]);
}

/** Dots for a chart: seconds since the load began against latency, for the successful answers; failures apart. */
export function toPoints(samples: Sample[]): { points: { x: number; y: number }[]; failures: number[] } {
  return {
    points: samples.filter((s) => s.ok).map((s) => ({ x: s.at / 1000, y: s.latencyMs })),
    failures: samples.filter((s) => !s.ok).map((s) => s.at / 1000),
  };
}

/** The same load for a few seconds, not measured: JIT, connection pools and caches warm on both sides alike. */
export async function warmUp(rate: number, seconds: number, send: (n: number) => Promise<HttpAnswer>): Promise<void> {
  if (seconds <= 0) return;
  const load = startLoad({ rate, send });
  await measureFor(seconds * 1000);
  await load.stop();
}
