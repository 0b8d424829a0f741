/**
 * How a demo reports: markdown tables on stdout, raw results in demo/results/<claim>.json, a
 * chart in docs/demos/<claim>.svg — or, with DEMO_OUT set (the smoke run), both in that directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import prettier from 'prettier';

const ROOT = join(__dirname, '..', '..');

export interface Table {
  caption: string;
  header: string[];
  rows: string[][];
  /** Per column; the first left and the rest right unless told. */
  align?: ('left' | 'right')[];
}

export interface DemoReport {
  claim: string;
  title: string;
  options: Record<string, number>;
  tables: Table[];
  /** What to read the figures with. */
  notes: string[];
  raw: unknown;
  svg?: string;
}

export function markdownTable({ header, rows, align }: Table): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => ((align?.[i] ?? (i === 0 ? 'left' : 'right')) === 'left' ? '---' : '---:'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export async function publish(report: DemoReport, startedAt: Date): Promise<void> {
  const out: string[] = [`\n## ${report.title}\n`, `options: ${JSON.stringify(report.options)}\n`];
  for (const table of report.tables) out.push(`**${table.caption}**\n`, markdownTable(table), '');
  for (const note of report.notes) out.push(`- ${note}`);
  process.stdout.write(`${out.join('\n')}\n`);
  const outDir = process.env.DEMO_OUT;
  const resultsDir = outDir ?? join(ROOT, 'demo', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${report.claim}.json`);
  const { svg, ...rest } = report;
  // Formatted as the repository formats JSON, so `prettier --check demo` holds for the results too.
  const json = JSON.stringify({ ...rest, measuredAt: startedAt.toISOString(), machine: machine() });
  writeFileSync(file, await prettier.format(json, { ...(await prettier.resolveConfig(file)), filepath: file }));
  process.stdout.write(`\nraw results: ${file}\n`);
  if (svg) {
    const chartsDir = outDir ?? join(ROOT, 'docs', 'demos');
    mkdirSync(chartsDir, { recursive: true });
    const chart = join(chartsDir, `${report.claim}.svg`);
    writeFileSync(chart, svg);
    process.stdout.write(`chart: ${chart}\n`);
  }
}
