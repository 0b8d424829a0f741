#!/usr/bin/env node
/**
 * Prints a benchmark result file (default bench/results/latest.json) as the Markdown
 * table the README's Performance section shows: `npm run -s bench:table`.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { readCommandLine, refuse } = require('../../scripts/cli-usage');

const BENCH_TABLE = {
  usage: ['npm run -s bench:table [-- <result-file>]'],
  summary:
    "Prints a benchmark result file as the Markdown table the README's Performance section shows: each row's median, " +
    'its baseline measured in the same run, the ratio, the target and whether it was met. Runs no benchmark.',
  arguments: [['<result-file>', 'a JSON file npm run bench wrote (default bench/results/latest.json)']],
};
const { positionals } = readCommandLine(BENCH_TABLE);
if (positionals.length > 1) refuse(BENCH_TABLE, 'one result file at a time');
const file = positionals[0] ?? join(__dirname, '..', 'results', 'latest.json');
const result = JSON.parse(readFileSync(file, 'utf8'));

const number = (value) => {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};
const target = (t, unit) => {
  if (!t) return '';
  if (t.kind === 'ratio-at-least') return `≥ ${t.value}× baseline`;
  if (t.kind === 'ratio-at-most') return `≤ ${t.value}× baseline`;
  return `${t.kind === 'at-most' ? '≤' : '≥'} ${number(t.value)} ${unit}`;
};
const met = (row) => {
  const t = row.target;
  if (!t) return '';
  const ratio = row.baseline ? row.value / row.baseline.value : NaN;
  const ok = {
    'ratio-at-least': () => ratio >= t.value,
    'ratio-at-most': () => ratio <= t.value,
    'at-most': () => row.value <= t.value,
    'at-least': () => row.value >= t.value,
  }[t.kind]();
  return ok ? '✓' : '✗';
};

const m = result.machine;
const lines = [
  `${result.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, ${m.rabbitmq}, ${m.postgresql} · ` +
    `${result.settings.smoke ? 'smoke' : `median of ${result.settings.runs}`} · load average at start ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')}`,
  '',
  '| case | row | median | baseline (same run) | ratio | target | |',
  '|---|---|---:|---|---:|---|---|',
];
let group;
for (const row of result.rows) {
  const ratio = row.baseline ? `${(row.value / row.baseline.value).toFixed(2)}×` : '';
  const baseline = row.baseline ? `${row.baseline.name}: ${number(row.baseline.value)}` : '';
  lines.push(
    `| ${row.group === group ? '' : row.group} | ${row.name} | ${number(row.value)} ${row.unit} | ${baseline} | ${ratio} | ${target(row.target, row.unit)} | ${met(row)} |`,
  );
  group = row.group;
}
const failed = (result.cases ?? []).filter((c) => !c.ok).map((c) => c.id);
if (failed.length > 0) lines.push('', `Cases that failed: ${failed.join(', ')}`);
process.stdout.write(`${lines.join('\n')}\n`);
