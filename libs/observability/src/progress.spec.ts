import { ProgressMeter, ProgressReport, formatProgressLine } from './progress';

describe('ProgressMeter', () => {
  it('reports position, total, percent, rate and ETA at most once per interval, and at the end', () => {
    let now = 0;
    const reports: ProgressReport[] = [];
    const meter = new ProgressMeter({
      label: 'rebuild',
      unit: 'events',
      total: 1_000,
      report: (r) => reports.push(r),
      intervalMs: 1_000,
      now: () => now,
    });

    now = 500;
    meter.update(100); // first report: never shown before
    now = 900;
    meter.update(150); // within the interval: not reported
    now = 2_000;
    meter.update(400);
    now = 4_000;
    const last = meter.finish(1_000);

    expect(reports.map((r) => r.done)).toEqual([100, 400, 1_000]);
    expect(reports[1]).toEqual({ done: 400, total: 1_000, percent: 40, rate: 200, etaSeconds: 3, elapsedSeconds: 2 });
    expect(last).toMatchObject({ done: 1_000, percent: 100, etaSeconds: 0 });
  });

  it('lets the total grow when the work finds more than it expected', () => {
    const meter = new ProgressMeter({ label: 'rebuild', unit: 'events', total: 10, report: () => undefined });
    meter.update(15, 20);
    expect(meter.report).toMatchObject({ done: 15, total: 20, percent: 75 });
    meter.update(25);
    expect(meter.report).toMatchObject({ total: 25 });
  });

  it('is 100% when there is nothing to do', () => {
    expect(new ProgressMeter({ label: 'x', unit: 'y', total: 0 }).finish()).toMatchObject({ percent: 100 });
  });

  it('redraws one line in place on a terminal and ends it when finished', () => {
    let now = 0;
    let written = '';
    const terminal = { write: (text: string) => (written += text) } as unknown as NodeJS.WriteStream;
    const meter = new ProgressMeter({ label: 'redrive', unit: 'messages', total: 4, terminal, now: () => now });
    now = 1_000;
    meter.update(2);
    now = 2_000;
    meter.finish(4);
    expect(written).toBe(
      '\r\u001b[2Kredrive [############------------] 50.0%  2/4 messages  2/s  ETA 0:01' +
        '\r\u001b[2Kredrive [########################] 100.0%  4/4 messages  2/s  ETA 0:00\n',
    );
  });
});

describe('formatProgressLine', () => {
  it('shows an unknown ETA as a dash and long ones in hours', () => {
    const base = { done: 0, total: 10, percent: 0, rate: 0, etaSeconds: null, elapsedSeconds: 0 };
    expect(formatProgressLine('r', 'events', base)).toContain('ETA -');
    expect(formatProgressLine('r', 'events', { ...base, etaSeconds: 3_725 })).toContain('ETA 1:02:05');
  });
});
