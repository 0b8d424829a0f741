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
 * <service>: any of the five services. The services also migrate their schema themselves at
 * start-up (under a lock, so instances take turns).
 */
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join, relative } = require('node:path');
const { readCommandLine, refuse } = require('./cli-usage');

const ROOT = join(__dirname, '..');
const SERVICES = ['todo-service', 'notification-service', 'analytics-service', 'order-service', 'inventory-service'];
const COMMANDS = {
  show: 'which migrations ran, which are pending',
  run: 'apply the pending ones, each in its own transaction',
  revert: 'undo the last one applied',
  create: 'write a new, empty migration file <Name> (PascalCase) in the service',
};

const MIGRATIONS = {
  usage: [`npm run migration:<${Object.keys(COMMANDS).join('|')}> -- <service>`, 'npm run migration:create -- <service> <Name>'],
  summary:
    "The TypeORM CLI on one service's own schema, configured as the service is, without a build step. " +
    'The services also migrate their schema themselves at start-up (under a lock, so instances take turns).',
  arguments: [
    ...Object.entries(COMMANDS).map(([name, what]) => [`migration:${name}`, what]),
    ['<service>', SERVICES.join(', ')],
    ['<Name>', 'with migration:create: the migration class name, in PascalCase'],
  ],
  readsDotEnv: true,
  environment: {
    DATABASE_URL: 'the database (default postgres://todo:todo@127.0.0.1:5432/todo_platform)',
    DB_SCHEMA: "the service's schema (default its own: todo, notification, analytics, orders, inventory)",
    '…': "the rest of the service's configuration, which must be valid (docs/configuration.md); create reads none",
  },
};

const { positionals } = readCommandLine(MIGRATIONS, process.argv.slice(2));
const [command, service, name, ...extra] = positionals;
if (!Object.hasOwn(COMMANDS, command ?? '')) refuse(MIGRATIONS, command === undefined ? 'say which command' : `unknown command ${command}`);
if (!SERVICES.includes(service)) refuse(MIGRATIONS, service === undefined ? 'say which service' : `unknown service ${service}`);
if (command === 'create' ? !/^[A-Z][A-Za-z0-9]*$/.test(name ?? '') : name !== undefined) {
  refuse(MIGRATIONS, command === 'create' ? 'create needs a <Name> in PascalCase' : `unexpected argument ${name}`);
}
if (extra.length > 0) refuse(MIGRATIONS, `unexpected arguments ${extra.join(' ')}`);

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
