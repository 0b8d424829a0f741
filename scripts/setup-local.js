#!/usr/bin/env node
'use strict';
/**
 * Prepares this machine's PostgreSQL for the services' default DATABASE_URL: creates
 * the role and the database it names (todo / todo_platform, as docker compose creates
 * them), so one set of defaults serves a bare machine and compose's infrastructure alike.
 *
 *   npm run setup:local            (npm start runs it first)
 *
 * Idempotent: when DATABASE_URL already connects (a second run, or compose's PostgreSQL)
 * it changes nothing. Otherwise it connects as an administrator — PG_ADMIN_URL, by
 * default the local superuser over trust auth — and creates what is missing.
 * Reads `.env` like the services do (the environment wins over the file).
 */
const { existsSync } = require('node:fs');
const { Client } = require('pg');

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

async function main() {
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
