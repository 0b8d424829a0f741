#!/usr/bin/env node
'use strict';
/**
 * Prepares this machine's PostgreSQL and RabbitMQ for the services' defaults:
 *   - the database DATABASE_URL names and its owner (todo / todo_platform, as docker
 *     compose creates them);
 *   - one role per service owning only its schema (todo_service owns todo, ...), which
 *     is what each service connects as by default;
 *   - one RabbitMQ user per service with only its rights, and the topology, in the vhost
 *     AMQP_VHOST (default /), as `npm run broker:setup` does.
 * So one set of defaults serves a bare machine and compose's infrastructure alike.
 *
 *   npm run setup:local            (npm start runs it first)
 *
 * Idempotent: what exists is left as it is (the service roles' passwords and the broker
 * users' permissions are set again). It connects as an administrator — PG_ADMIN_URL, by
 * default the local superuser over trust auth; BROKER_ADMIN_URL, by default guest.
 * Reads `.env` like the services do (the environment wins over the file).
 */
const { existsSync } = require('node:fs');
const { readCommandLine, refuse } = require('./cli-usage');

const SETUP_LOCAL = {
  usage: ['npm run setup:local'],
  summary:
    "Prepares this machine's PostgreSQL and RabbitMQ for the services' defaults: the database DATABASE_URL names and " +
    'its owner; one role per service owning only its schema (todo_service owns todo, …); one RabbitMQ user per service ' +
    'with only its rights, and the topology, as npm run broker:setup does. Connects as the administrators once. ' +
    'Idempotent: what exists is left as it is (passwords and permissions are set again). npm start runs it first.',
  readsDotEnv: true,
  environment: {
    DATABASE_URL: 'the database and its owner to create (default postgres://todo:todo@127.0.0.1:5432/todo_platform)',
    PG_ADMIN_URL: "PostgreSQL's administrator (default postgres://postgres@127.0.0.1:5432/postgres, trust auth)",
    'DB_PASSWORD_<ROLE>': "a service role's password (default its name), e.g. DB_PASSWORD_TODO_SERVICE",
    BROKER_ADMIN_URL: "RabbitMQ's administrator (default amqp://guest:guest@127.0.0.1:5672)",
    AMQP_VHOST: 'the vhost to provision (default /)',
    'BROKER_PASSWORD_<USER>': "a broker user's password (default its name), e.g. BROKER_PASSWORD_TODO_SERVICE",
    'QUEUE_TYPE, QUEUE_DELIVERY_LIMIT': 'how the queues are declared, as the services are told (default classic)',
  },
};
if (readCommandLine(SETUP_LOCAL).positionals.length > 0) refuse(SETUP_LOCAL, 'setup:local takes no arguments');

const { Client } = require('pg');
// The service roles and broker rights are defined once, in TypeScript, beside the code that uses them.
require('./register-ts.js');
const { PLATFORM_SERVICE_ROLES, serviceRoleStatements } = require('../libs/database/src/service-role.ts');
const { passwordFromEnvironment, provisionBroker, queueSettingsFromEnvironment } = require('./broker-setup.ts');

if (existsSync('.env')) process.loadEnvFile('.env');
const DEFAULT_DATABASE_URL = 'postgres://todo:todo@127.0.0.1:5432/todo_platform';
const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const adminUrl = process.env.PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Connection problems that creating the role or the database can cure. */
const CURABLE = new Set(['28000', '28P01', '3D000']);

const quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text) => `'${text.replace(/'/g, "''")}'`;

async function connects(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Each service's role and schema in `database`; a role's password from DB_PASSWORD_<ROLE>, its name otherwise. */
async function serviceRoles(database) {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  const admin = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    for (const { role, schema } of PLATFORM_SERVICE_ROLES) {
      const password = process.env[`DB_PASSWORD_${role.toUpperCase()}`] || role;
      for (const sql of serviceRoleStatements({ role, password, schema })) await admin.query(sql);
    }
  } finally {
    await admin.end();
  }
  const owners = PLATFORM_SERVICE_ROLES.map((r) => `${r.role} owns ${r.schema}`).join(', ');
  process.stdout.write(`setup: PostgreSQL database ${database}: ${owners}\n`);
}

async function broker() {
  const vhost = process.env.AMQP_VHOST || '/';
  await provisionBroker({
    vhost,
    adminUrl: process.env.BROKER_ADMIN_URL || 'amqp://guest:guest@127.0.0.1:5672',
    passwordOf: passwordFromEnvironment,
    queues: queueSettingsFromEnvironment(),
  });
  process.stdout.write(`setup: RabbitMQ vhost ${vhost}: one user per service with its own rights, and the topology\n`);
}

async function main() {
  await database();
  await serviceRoles(decodeURIComponent(new URL(databaseUrl).pathname.slice(1)));
  await broker();
}

async function database() {
  const target = new URL(databaseUrl);
  const role = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password);
  const database = decodeURIComponent(target.pathname.slice(1));
  const where = `${target.hostname}:${target.port || 5432}`;

  const first = await connects(databaseUrl);
  if (first.ok) {
    process.stdout.write(`setup: PostgreSQL at ${where}: role ${role} reaches database ${database}; nothing to do\n`);
    return;
  }
  if (!CURABLE.has(first.error.code)) {
    throw new Error(`PostgreSQL at ${where} is not usable (${first.error.message}); is it running?`);
  }
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`cannot create role ${role} / database ${database}: PG_ADMIN_URL does not connect (${error.message})`, {
      cause: error,
    });
  }
  try {
    const { rowCount: roleExists } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (!roleExists) {
      await admin.query(`CREATE ROLE ${quoteIdent(role)} LOGIN PASSWORD ${quoteLiteral(password)}`);
      process.stdout.write(`setup: created role ${role}\n`);
    }
    const { rowCount: databaseExists } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!databaseExists) {
      await admin.query(`CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(role)}`);
      process.stdout.write(`setup: created database ${database}, owned by ${role}\n`);
    }
  } finally {
    await admin.end();
  }
  const second = await connects(databaseUrl);
  if (!second.ok) throw new Error(`DATABASE_URL still does not connect: ${second.error.message}`);
  process.stdout.write(`setup: PostgreSQL at ${where}: role ${role} reaches database ${database}\n`);
}

main().catch((error) => {
  process.stderr.write(`setup: ${error.message}\n`);
  process.exit(1);
});
