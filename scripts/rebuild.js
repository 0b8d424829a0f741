#!/usr/bin/env node
/**
 * npm run rebuild -- <read-model>: runs `<service> rebuild <read-model>` in the service that
 * owns the read model, from its build (compiled again only when a source changed).
 */
const { spawnSync } = require('node:child_process');
const { ensureBuilt } = require('./ensure-built');

const owners = {
  'todo-views': 'todo-service',
  analytics: 'analytics-service',
  'order-analytics': 'analytics-service',
  'notification-recipients': 'notification-service',
  'order-views': 'order-service',
};
const [readModel, ...rest] = process.argv.slice(2);
const service = owners[readModel];
if (!service) {
  process.stderr.write(`usage: npm run rebuild -- <${Object.keys(owners).join(' | ')}> [--batch-size <n>]\n`);
  process.exit(1);
}
const entry = ensureBuilt(service);
const { status } = spawnSync(process.execPath, [entry, 'rebuild', readModel, ...rest], { stdio: 'inherit', env: process.env });
process.exit(status ?? 1);
