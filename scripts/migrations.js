#!/usr/bin/env node
'use strict';
/**
 * The TypeORM CLI on a service's own schema, configured like the service (DATABASE_URL,
 * DB_SCHEMA, .env), without a build step:
 *
 *   npm run migration:show   -- <service>          which migrations ran, which are pending
 *   npm run migration:run    -- <service>          apply the pending ones, each in its own transaction
 *   npm run migration:revert -- <service>          undo the last one applied
 *   npm run migration:create -- <service> <Name>   a new, empty migration file
 *
 * <service>: todo-service, notification-service or analytics-service. The services also
 * migrate their schema themselves at start-up (under a lock, so instances take turns).
 */
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const SERVICES = ['todo-service', 'notification-service', 'analytics-service', 'order-service', 'inventory-service'];
const COMMANDS = ['show', 'run', 'revert', 'create'];

const [command, service, name] = process.argv.slice(2);
if (!COMMANDS.includes(command) || !SERVICES.includes(service) || (command === 'create' && !/^[A-Z][A-Za-z0-9]*$/.test(name ?? ''))) {
  process.stderr.write(`usage: npm run migration:<${COMMANDS.join('|')}> -- <${SERVICES.join('|')}> [<Name> for create, in PascalCase]\n`);
  process.exit(64);
}

const database = join('apps', service, 'src', 'infrastructure', 'database');
const typeorm = (args) =>
  spawnSync(process.execPath, ['-r', join(__dirname, 'register-ts.js'), require.resolve('typeorm/cli.js'), ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    env: process.env,
  }).status ?? 1;

if (command !== 'create') {
  const dataSource = join(database, `${service}.data-source.ts`);
  process.exit(typeorm([`migration:${command}`, '-d', dataSource, ...(command === 'run' ? ['-t', 'each'] : [])]));
}

const folder = join(database, 'migrations');
const before = new Set(readdirSync(join(ROOT, folder)));
const status = typeorm(['migration:create', join(folder, name)]);
if (status !== 0) process.exit(status);
const created = readdirSync(join(ROOT, folder)).find((file) => !before.has(file));
const list = join(database, `${service}.migrations.ts`);
process.stdout.write(
  `\nNext: write its up() and down(), then add its class to ${list}` +
    ` (import it from './migrations/${created?.replace(/\.ts$/, '')}'); the list is the order in which migrations run.\n` +
    `Created: ${relative(ROOT, join(ROOT, folder, created ?? name))}\n`,
);
