#!/usr/bin/env node
/**
 * npm run rebuild -- <read-model>: runs `<service> rebuild <read-model>` in the service that
 * owns the read model, from its build (compiled again only when a source changed).
 */
const { spawnSync } = require('node:child_process');
const { ensureBuilt } = require('./ensure-built');
const { readCommandLine, refuse } = require('./cli-usage');

const owners = {
  'todo-views': { service: 'todo-service', reads: "the todo-service's own event store" },
  analytics: { service: 'analytics-service', reads: 'the todo events, from TODO_SERVICE_URL' },
  'order-analytics': { service: 'analytics-service', reads: 'the order events, from ORDER_SERVICE_URL' },
  'notification-recipients': { service: 'notification-service', reads: 'user.registered, from TODO_SERVICE_URL' },
  'order-views': { service: 'order-service', reads: "the order-service's own event store" },
};

const REBUILD = {
  usage: ['npm run rebuild -- <read-model> [--batch-size <n>]'],
  summary:
    'Rebuilds a read model from the event stream while the service keeps serving, in the service that owns it ' +
    '(`<service> rebuild <read-model>`, from its build, compiled first when a source changed), with that ' +
    "service's configuration.",
  arguments: Object.entries(owners).map(([model, { service, reads }]) => [model, `${service}; reads ${reads}`]),
  options: { 'batch-size': { type: 'string', value: '<n>', description: 'events per transaction (default 500)' } },
  readsDotEnv: true,
  environment: {
    DATABASE_URL: "the owning service's database (default postgres://todo:todo@127.0.0.1:5432/todo_platform)",
    DB_SCHEMA: "its schema (default the service's own: todo, analytics, notification, orders)",
    TODO_SERVICE_URL: 'where analytics and notification-recipients read their events (default http://127.0.0.1:8081)',
    ORDER_SERVICE_URL: 'where order-analytics reads its events (default http://127.0.0.1:8084)',
    REBUILD_ACCESS_TOKEN: "an admin's access token (POST /auth/token) for reading another service's GET /events",
    'LOG_LEVEL, LOG_FORMAT': 'as for the service',
    '…': "the rest of the owning service's configuration, which must be valid (docs/configuration.md)",
  },
};

const { values, positionals } = readCommandLine(REBUILD);
const [readModel, ...extra] = positionals;
if (readModel === undefined) refuse(REBUILD, 'say which read model to rebuild');
if (!Object.hasOwn(owners, readModel)) refuse(REBUILD, `unknown read model ${readModel}`);
if (extra.length > 0) refuse(REBUILD, `one read model at a time (also given: ${extra.join(' ')})`);

const { service } = owners[readModel];
const entry = ensureBuilt(service);
const batchSize = values['batch-size'] === undefined ? [] : ['--batch-size', values['batch-size']];
const { status } = spawnSync(process.execPath, [entry, 'rebuild', readModel, ...batchSize], { stdio: 'inherit', env: process.env });
process.exit(status ?? 1);
