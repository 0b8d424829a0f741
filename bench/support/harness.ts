/**
 * Runs benchmark cases and reports them: one table on stdout, one JSON file under
 * bench/results/. Used by bench/run.ts (every case) and by each bench file run on its own.
 *
 *   BENCH_SMOKE=1        a few seconds per case (CI); figures are noise, only crashes matter
 *   BENCH_RUNS=n         measured runs per case after the warm-up (default 3; 1 in smoke)
 *   BENCH_ONLY=id1,id2   only these cases
 *
 * A case that throws (or overruns its time limit) is reported and makes the exit code 1;
 * a missed target does not.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import amqplib from 'amqplib';
import { Client } from 'pg';
import { Cli, readCommandLine, refuse } from '../../scripts/cli-usage';
import { BenchCase, BenchRow, BenchSettings, Target } from './bench-case';

const AMQP_URL = process.env.TEST_AMQP_BASE_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function settingsFromEnv(): BenchSettings {
  const smoke = process.env.BENCH_SMOKE === '1';
  const runs = process.env.BENCH_RUNS ? Number(process.env.BENCH_RUNS) : smoke ? 1 : 3;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be a positive integer, got ${process.env.BENCH_RUNS}`);
  return { smoke, runs, amqpUrl: AMQP_URL, databaseUrl: DATABASE_URL };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Calls `fn` `runs` times, one after the other; returns every result. */
export async function samples(runs: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let run = 0; run < runs; run++) out.push(await fn());
  return out;
}

export function meets(row: BenchRow): boolean | undefined {
  const target = row.target;
  if (!target) return undefined;
  switch (target.kind) {
    case 'ratio-at-least':
      return row.baseline !== undefined && row.value / row.baseline.value >= target.value;
    case 'ratio-at-most':
      return row.baseline !== undefined && row.value / row.baseline.value <= target.value;
    case 'at-most':
      return row.value <= target.value;
    case 'at-least':
      return row.value >= target.value;
  }
}

function describeTarget(target: Target | undefined, unit: string): string {
  if (!target) return '';
  switch (target.kind) {
    case 'ratio-at-least':
      return `≥ ${target.value}× baseline`;
    case 'ratio-at-most':
      return `≤ ${target.value}× baseline`;
    case 'at-most':
      return `≤ ${fmt(target.value)} ${unit}`;
    case 'at-least':
      return `≥ ${fmt(target.value)} ${unit}`;
  }
}

/** Large figures as integers with separators, small ones with two significant decimals. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** value / baseline, two decimals; three when two would round it onto its target (0.698, not 0.70 ✗). */
export function ratio(row: BenchRow): string {
  const r = row.value / (row.baseline?.value ?? NaN);
  const target = row.target;
  const near = (target?.kind === 'ratio-at-least' || target?.kind === 'ratio-at-most') && Math.abs(r - target.value) < 0.005;
  return r.toFixed(near ? 3 : 2);
}

export interface Machine {
  cpu: string;
  cpus: number;
  memoryGiB: number;
  os: string;
  node: string;
  rabbitmq: string;
  postgresql: string;
  /** 1/5/15-minute load average when the run started: other work on the machine shows here. */
  loadAverage: number[];
}

export async function machine(settings: BenchSettings): Promise<Machine> {
  const cpus = os.cpus();
  const rabbitmq = await amqplib
    .connect(settings.amqpUrl)
    .then(async (connection) => {
      const { product, version } = connection.connection.serverProperties;
      await connection.close();
      return `${product ?? 'RabbitMQ'} ${version}`;
    })
    .catch((error: unknown) => `unknown (${String(error)})`);
  const pg = new Client({ connectionString: settings.databaseUrl });
  const postgresql = await pg
    .connect()
    .then(() => pg.query<{ server_version: string }>('SHOW server_version'))
    .then((result) => `PostgreSQL ${result.rows[0].server_version}`)
    .catch((error: unknown) => `unknown (${String(error)})`)
    .finally(() => pg.end().catch(() => undefined));
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    rabbitmq,
    postgresql,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function table(rows: BenchRow[]): string {
  const header = ['group', 'row', 'median', 'unit', 'baseline', 'baseline median', 'ratio', 'target', 'met'];
  const body = rows.map((row) => {
    const met = meets(row);
    return [
      row.group,
      row.name,
      fmt(row.value),
      row.unit,
      row.baseline?.name ?? '',
      row.baseline ? fmt(row.baseline.value) : '',
      row.baseline ? `${ratio(row)}×` : '',
      describeTarget(row.target, row.unit),
      met === undefined ? '' : met ? '✓' : '✗',
    ];
  });
  const right = new Set([2, 5, 6]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (right.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

interface CaseOutcome {
  id: string;
  ok: boolean;
  seconds: number;
  error?: string;
}

/** The usage of a benchmark entry point: its cases, and the environment that steers them. */
export function benchCli(cases: BenchCase[], name: string): Cli {
  const command = name === 'latest' ? 'npm run bench' : `npm run bench:${name}`;
  return {
    usage: [command, `BENCH_SMOKE=1 BENCH_ONLY=<case>,… ${command}`],
    summary:
      `Runs the benchmark cases below, each in a vhost and schemas of its own against this machine's RabbitMQ and ` +
      `PostgreSQL (which must be running), prints one table and writes bench/results/${name}.json. Each case warms up, ` +
      'then reports the median of BENCH_RUNS runs, against a baseline measured in the same run where it has a target. ' +
      'Exits 1 if a case crashed; a missed target is shown but does not fail the run. It loads the machine: run it alone.',
    notes: [`Cases: ${cases.map((c) => c.id).join(', ')}.`],
    environment: {
      BENCH_ONLY: 'only these cases, comma-separated (the results file is named after them)',
      BENCH_SMOKE: `1: a few seconds per case, figures are noise, only crashes matter (results in ${name === 'latest' ? 'smoke' : `${name}-smoke`}.json)`,
      BENCH_RUNS: 'measured runs per case after the warm-up (default 3; 1 with BENCH_SMOKE)',
      TEST_AMQP_BASE_URL: 'RabbitMQ, as an administrator (default amqp://guest:guest@127.0.0.1:5672)',
      TEST_DATABASE_URL: 'PostgreSQL, as an administrator (default postgres://postgres@127.0.0.1:5432/postgres)',
      BENCH_SERVICE_RUNTIME: 'ts-node: run the services through ts-node instead of transpiling them once',
      BENCH_CPU_PROF: '<dir>: profile every service process a case starts (--cpu-prof) into it',
      BENCH_KEEP_LOGS: '1: keep the logs of the service processes a case starts',
    },
  };
}

/** Without a limit a hung case would hang CI; its leftovers die with the process. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs the selected cases (BENCH_ONLY), prints the table, writes the JSON and exits:
 * 1 if any case failed, 0 otherwise (targets missed or not).
 *
 * `name` names the results file: `<name>.json`, or `smoke.json` / `<name>-smoke.json` in
 * smoke mode; a BENCH_ONLY run adds the case ids so it never overwrites a full run.
 */
export async function runBench(cases: BenchCase[], name = 'latest'): Promise<never> {
  const cli = benchCli(cases, name);
  if (readCommandLine(cli).positionals.length > 0) refuse(cli, 'the benchmarks take no arguments: choose cases with BENCH_ONLY');
  // Ctrl-C / SIGTERM exit through process.exit, so that 'exit' hooks (service processes
  // started by a case are killed there) still run.
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  let code = 0;
  // An unhandled rejection (a promise nobody awaited, in the code under test or a case) fails
  // the case running at the time instead of killing the run: the other cases still report.
  let crash: ((error: unknown) => void) | undefined;
  process.on('unhandledRejection', (reason) => {
    const error = new Error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
    if (crash) return crash(error);
    code = 1;
    process.stderr.write(`${error.message}\n`);
  });
  try {
    const settings = settingsFromEnv();
    const only = process.env.BENCH_ONLY?.split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const unknown = (only ?? []).filter((id) => !cases.some((c) => c.id === id));
    if (unknown.length > 0) throw new Error(`BENCH_ONLY: no case ${unknown.join(', ')} (cases: ${cases.map((c) => c.id).join(', ')})`);
    const selected = only ? cases.filter((c) => only.includes(c.id)) : cases;
    const limitMs = settings.smoke ? 180_000 : 30 * 60_000;
    const host = await machine(settings);
    const startedAt = new Date();
    process.stdout.write(
      `Benchmarks${settings.smoke ? ' (smoke: figures are noise)' : ''}: ${selected.map((c) => c.id).join(', ')}; median of ${settings.runs} run(s) after a warm-up\n` +
        `${host.cpus} × ${host.cpu}, ${host.memoryGiB} GiB, ${host.os}, Node ${host.node}, ${host.rabbitmq}, ${host.postgresql}, load ${host.loadAverage.join(' ')}\n`,
    );
    const rows: BenchRow[] = [];
    const outcomes: CaseOutcome[] = [];
    for (const benchCase of selected) {
      const t0 = performance.now();
      process.stdout.write(`· ${benchCase.id} … `);
      try {
        const crashed = new Promise<never>((_, reject) => (crash = reject));
        const caseRows = await withTimeout(Promise.race([benchCase.run(settings), crashed]), limitMs, `case ${benchCase.id}`).finally(
          () => (crash = undefined),
        );
        rows.push(...caseRows);
        outcomes.push({ id: benchCase.id, ok: true, seconds: (performance.now() - t0) / 1000 });
        process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      } catch (error) {
        code = 1;
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        outcomes.push({ id: benchCase.id, ok: false, seconds: (performance.now() - t0) / 1000, error: message });
        process.stdout.write(`FAILED after ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
        process.stderr.write(`case ${benchCase.id} failed: ${message}\n`);
      }
    }
    process.stdout.write(`\n${table(rows)}\n`);
    const failed = outcomes.filter((o) => !o.ok).map((o) => o.id);
    const targeted = rows.filter((row) => row.target);
    const summary = [
      ...(targeted.length > 0 ? [`${targeted.filter((row) => meets(row)).length} of ${targeted.length} targets met`] : []),
      ...(failed.length > 0 ? [`FAILED cases: ${failed.join(', ')}`] : []),
    ];
    if (summary.length > 0) process.stdout.write(`\n${summary.join('; ')}\n`);
    const file = [settings.smoke ? (name === 'latest' ? 'smoke' : `${name}-smoke`) : name, ...(only ?? [])].join('-');
    const dir = join(__dirname, '..', 'results');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${file}.json`);
    const { amqpUrl, databaseUrl, ...rest } = settings;
    const report = {
      date: startedAt.toISOString(),
      machine: host,
      settings: { ...rest, only: only ?? null, amqp: withoutCredentials(amqpUrl), database: withoutCredentials(databaseUrl) },
      cases: outcomes,
      rows,
    };
    writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`written to ${join('bench', 'results', `${file}.json`)}\n`);
  } catch (error) {
    code = 1;
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(code);
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(unparsable)';
  }
}
