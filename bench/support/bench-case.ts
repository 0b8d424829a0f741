/**
 * The shape every benchmark case reports in, so `npm run bench` can print one table
 * and write one JSON file for all of them.
 */
export interface BenchSettings {
  /** A few seconds per case: CI runs this so the benchmarks never rot. */
  smoke: boolean;
  /** Measured runs per case after the warm-up; the table shows their median. */
  runs: number;
  amqpUrl: string;
  databaseUrl: string;
}

export type Target =
  /** ours / baseline must be at least this. */
  | { kind: 'ratio-at-least'; value: number }
  /** ours / baseline must be at most this (latency against a faster baseline: lower is better). */
  | { kind: 'ratio-at-most'; value: number }
  /** ours must be at most this (ms, MB, …). */
  | { kind: 'at-most'; value: number }
  /** ours must be at least this. */
  | { kind: 'at-least'; value: number };

export interface BenchRow {
  /** The case number and what is measured, e.g. "1 messaging layer". */
  group: string;
  /** What this row is, e.g. "ours, events/s" or "p99 at 500 cmd/s". */
  name: string;
  unit: string;
  /** Median of the measured runs. */
  value: number;
  /** Every measured run, for the JSON file. */
  samples: number[];
  /** The raw limit (or stock transport) measured in the same run, when the row is a ratio. */
  baseline?: { name: string; value: number; samples: number[] };
  target?: Target;
  /** Anything a reader needs to read the figure right (concurrency, message size, …). */
  note?: string;
}

export interface BenchCase {
  /** Short id used by BENCH_ONLY=… */
  id: string;
  run(settings: BenchSettings): Promise<BenchRow[]>;
}
