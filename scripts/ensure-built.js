'use strict';
/**
 * The compiled entry point of an app, built first only when it is missing or older
 * than any source it is compiled from (the app's src/, libs/, the tsconfig and Nest CLI
 * files, the lock file) — so `npm run dlq` and `npm run rebuild` start at once when
 * nothing changed since the last build.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const SKIP = new Set(['node_modules', 'dist', 'test', 'bench']);

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (SKIP.has(entry)) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Path of the app's main.js, built now if it is stale. */
function ensureBuilt(app) {
  const entry = join(ROOT, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
  const sources = [join(ROOT, 'apps', app, 'src'), join(ROOT, 'libs'), join(ROOT, 'nest-cli.json'), join(ROOT, 'package-lock.json')];
  for (const file of readdirSync(ROOT)) if (/^tsconfig.*\.json$/.test(file)) sources.push(join(ROOT, file));
  sources.push(join(ROOT, 'apps', app, 'tsconfig.app.json'));
  const newestSource = Math.max(...sources.filter(existsSync).map(newestMtime));
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestSource) return entry;
  process.stderr.write(`building ${app} (its sources changed since the last build)…\n`);
  const nest = require.resolve('@nestjs/cli/bin/nest.js');
  const { status } = spawnSync(process.execPath, [nest, 'build', app], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (status !== 0 || !existsSync(entry)) {
    process.stderr.write(`nest build ${app} failed\n`);
    process.exit(status || 1);
  }
  return entry;
}

module.exports = { ensureBuilt };
