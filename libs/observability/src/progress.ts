/** Where long work is, how fast it goes, and when it will be done. */
export interface ProgressReport {
  done: number;
  total: number;
  /** 0-100; 100 when there is nothing to do. */
  percent: number;
  /** Units per second since the start. */
  rate: number;
  /** Seconds left at that rate; null until there is a rate. */
  etaSeconds: number | null;
  elapsedSeconds: number;
}

export interface ProgressOptions {
  /** Shown before the bar, e.g. `rebuild analytics`. */
  label: string;
  /** What is counted, e.g. `events`. */
  unit: string;
  total: number;
  /** A terminal gets a bar redrawn in place; without one, `report` is called instead. */
  terminal?: NodeJS.WriteStream;
  /** Called at most every `intervalMs` and once at the end when there is no terminal (e.g. a JSON log line). */
  report?: (progress: ProgressReport) => void;
  intervalMs?: number;
  now?: () => number;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

/**
 * Progress of long work (a rebuild, a redrive): a bar on a terminal, or periodic reports
 * (JSON log lines, plain lines) otherwise. The total may grow while the work runs (a
 * stream that is still being appended to).
 */
export class ProgressMeter {
  private readonly startedAt: number;
  private readonly now: () => number;
  private last = { done: 0, total: 0 };
  private lastShownAt = -Infinity;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.last.total = options.total;
  }

  update(done: number, total = Math.max(this.last.total, done)): void {
    this.last = { done, total: Math.max(total, done) };
    const interval = this.options.terminal ? REDRAW_MS : (this.options.intervalMs ?? 1_000);
    if (this.now() - this.lastShownAt >= interval) this.show();
  }

  /** The final report; the bar's line is ended. */
  finish(done = this.last.done, total = Math.max(this.last.total, done)): ProgressReport {
    this.last = { done, total };
    const report = this.show();
    if (this.options.terminal) this.options.terminal.write('\n');
    return report;
  }

  get report(): ProgressReport {
    const { done, total } = this.last;
    const elapsedSeconds = (this.now() - this.startedAt) / 1000;
    const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
    return {
      done,
      total,
      percent: total === 0 ? 100 : Math.min(100, (done / total) * 100),
      rate,
      etaSeconds: rate > 0 ? Math.max(0, total - done) / rate : null,
      elapsedSeconds,
    };
  }

  private show(): ProgressReport {
    this.lastShownAt = this.now();
    const report = this.report;
    if (this.options.terminal)
      this.options.terminal.write(`\r\u001b[2K${formatProgressLine(this.options.label, this.options.unit, report)}`);
    else this.options.report?.(report);
    return report;
  }
}

/** `rebuild analytics [#########---------------] 37.5%  3,750/10,000 events  1,250/s  ETA 0:05` */
export function formatProgressLine(label: string, unit: string, report: ProgressReport): string {
  const filled = Math.round((report.percent / 100) * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
  const count = (n: number) => Math.round(n).toLocaleString('en-US');
  const eta = report.etaSeconds === null ? '-' : duration(report.etaSeconds);
  return `${label} [${bar}] ${report.percent.toFixed(1)}%  ${count(report.done)}/${count(report.total)} ${unit}  ${count(report.rate)}/s  ETA ${eta}`;
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
