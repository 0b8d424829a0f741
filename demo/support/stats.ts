import { Sample } from './steady-load';

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface LatencySummary {
  requests: number;
  failed: number;
  /** Failed / requests, %. */
  errorRatePct: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Successful answers per second that arrived within the window. */
  throughput: number;
}

/** Latency of the successful answers, errors of all, over the samples scheduled in [from, to) ms. */
export function summarize(samples: Sample[], from = 0, to = Infinity): LatencySummary {
  const inWindow = samples.filter((s) => s.at >= from && s.at < to);
  const ok = inWindow.filter((s) => s.ok);
  const lat = ok.map((s) => s.latencyMs);
  // Achieved, not offered: successful answers that arrived in the window, per second of it
  // (an unbounded window ends with the last answer, so a slow tail lowers the figure).
  const start = inWindow.length ? Math.max(from, inWindow[0].at) : 0;
  const end = Math.min(to, Math.max(0, ...inWindow.map((s) => s.at + s.latencyMs)));
  const answered = samples.filter((s) => s.ok && s.at + s.latencyMs >= start && s.at + s.latencyMs < end + 1e-9).length;
  return {
    requests: inWindow.length,
    failed: inWindow.length - ok.length,
    errorRatePct: inWindow.length ? ((inWindow.length - ok.length) / inWindow.length) * 100 : 0,
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    p99: percentile(lat, 99),
    max: percentile(lat, 100),
    throughput: end > start ? answered / ((end - start) / 1000) : NaN,
  };
}

/** Figures as a table cell: integers with separators from 100 up, else two significant decimals. */
export function fmt(value: number | undefined, unit = ''): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const text =
    Math.abs(value) >= 100
      ? Math.round(value).toLocaleString('en-US')
      : Math.abs(value) >= 10
        ? value.toFixed(1)
        : value === Math.round(value)
          ? String(value)
          : value.toFixed(2);
  return unit ? `${text} ${unit}` : text;
}

export const round = (value: number, digits = 2): number => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);
