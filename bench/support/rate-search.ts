/**
 * The highest offered rate a system keeps up with, found with few steps: double from
 * `start` until a step fails, then bisect between the last rate that passed and the first
 * that failed until they are within `precision` of each other (or the steps run out).
 * What "keeps up" means is the caller's (one step of load at that rate).
 */
export interface RateSearchOptions {
  start: number;
  /** Stop bisecting once (failed − passed) ≤ precision × passed. */
  precision: number;
  maxSteps: number;
  /** Never offer more than this (the load generator's own limit). */
  maxRate: number;
}

export interface RateSearch {
  /** The highest rate that passed; 0 if none did. */
  rate: number;
  /** Every step, in order. */
  steps: { rate: number; ok: boolean }[];
  /** True when the search stopped at maxRate with every step passing. */
  capped: boolean;
}

export async function searchSustainableRate(keepsUp: (rate: number) => Promise<boolean>, options: RateSearchOptions): Promise<RateSearch> {
  const steps: RateSearch['steps'] = [];
  let passed = 0;
  let failed: number | undefined;
  let rate = options.start;
  while (steps.length < options.maxSteps) {
    const ok = await keepsUp(rate);
    steps.push({ rate, ok });
    if (ok) passed = rate;
    else failed = rate;
    if (failed === undefined) {
      if (rate >= options.maxRate) return { rate: passed, steps, capped: true };
      rate = Math.min(rate * 2, options.maxRate);
    } else {
      if (failed - passed <= options.precision * Math.max(passed, 1)) break;
      rate = Math.round((passed + failed) / 2);
    }
  }
  return { rate: passed, steps, capped: false };
}
