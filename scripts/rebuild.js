#!/usr/bin/env node
/**
 * npm run rebuild -- <read-model>: runs `<service> rebuild <read-model>` in the service that
 * owns the read model (built output; run `npm run build` first).
 */
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const owners = { 'todo-views': 'todo-service', analytics: 'analytics-service', 'notification-recipients': 'notification-service' };
const [readModel, ...rest] = process.argv.slice(2);
const service = owners[readModel];
if (!service) {
  process.stderr.write(`usage: npm run rebuild -- <${Object.keys(owners).join(' | ')}> [--batch-size <n>]\n`);
  process.exit(1);
}
const entry = join(__dirname, '..', 'dist', 'apps', service, 'apps', service, 'src', 'main.js');
const { status } = spawnSync(process.execPath, [entry, 'rebuild', readModel, ...rest], { stdio: 'inherit', env: process.env });
process.exit(status ?? 1);
