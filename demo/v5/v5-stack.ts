/**
 * The V5 baseline of one demo run: a PostgreSQL schema of its own (created here, dropped by
 * dispose) and the V5 services as processes of their own, run with the same V8 flags as
 * the platform's, on the same machine, PostgreSQL and SMTP sink as the V6 run.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../test/support/service-process';
import { waitFor } from '../../test/support/wait-for';

const ROOT = join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SERVICE_NODE_FLAGS: string[] = require('../../scripts/service-node-flags');

export type V5ServiceName = 'todo' | 'notification' | 'analytics' | 'audit';

export interface V5Service {
  name: V5ServiceName;
  pid: number;
  port: number;
  url: string;
  logFile: string;
  exited: Promise<void>;
}

export interface V5Stack {
  schema: string;
  services: Partial<Record<V5ServiceName, V5Service>>;
  url(name: V5ServiceName): string;
  /** Starts a service (on its former port when it ran before), resolving once it is ready. */
  start(name: V5ServiceName, extraEnv?: Record<string, string>): Promise<V5Service>;
  /** SIGTERM, as a deployment does; resolves when it exited. */
  stop(name: V5ServiceName): Promise<void>;
  /** The log lines every V5 service wrote so far, parsed. */
  logs(): Promise<Record<string, unknown>[]>;
  /** Runs one statement in the V5 schema. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  dispose(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach((child) => child.kill('SIGKILL')));

const SCHEMA_SQL = (schema: string) => [
  `CREATE SCHEMA "${schema}"`,
  `CREATE TABLE "${schema}".todos (id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL, title TEXT NOT NULL, description TEXT,
     status VARCHAR(20) NOT NULL DEFAULT 'open', version INTEGER NOT NULL DEFAULT 1,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now(), completed_at TIMESTAMPTZ)`,
  `CREATE TABLE "${schema}".counters (user_id INTEGER PRIMARY KEY, todos_created INTEGER NOT NULL DEFAULT 0,
     todos_completed INTEGER NOT NULL DEFAULT 0)`,
  `CREATE TABLE "${schema}".audit_log (id SERIAL PRIMARY KEY, request_id TEXT, event TEXT NOT NULL, todo_id INTEGER NOT NULL,
     received_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
];

export async function openV5Stack(settings: { databaseUrl: string; smtpUrl: string; jwtSecret: string }): Promise<V5Stack> {
  const schema = `demo_v5_${randomBytes(4).toString('hex')}`;
  const db = new Client({ connectionString: settings.databaseUrl });
  db.on('error', () => undefined);
  await db.connect();
  const logDir = await mkdtemp(join(tmpdir(), 'demo-v5-'));
  const services: Partial<Record<V5ServiceName, V5Service>> = {};
  const ports: Partial<Record<V5ServiceName, number>> = {};
  const logFiles: string[] = [];
  const children = new Map<V5ServiceName, ChildProcess>();

  const envOf = (name: V5ServiceName): Record<string, string> => {
    const common = { DATABASE_URL: settings.databaseUrl, DB_SCHEMA: schema };
    switch (name) {
      case 'todo':
        return {
          ...common,
          JWT_SECRET: settings.jwtSecret,
          NOTIFICATION_URL: stack.url('notification'),
          ANALYTICS_URL: stack.url('analytics'),
        };
      case 'notification':
        return { SMTP_URL: settings.smtpUrl };
      default:
        return common;
    }
  };

  const stop = async (name: V5ServiceName) => {
    const child = children.get(name);
    const service = services[name];
    if (!child || !service) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill('SIGTERM');
    await service.exited;
    clearTimeout(timer);
    children.delete(name);
    delete services[name];
  };

  const stack: V5Stack = {
    schema,
    services,
    url(name) {
      const port = ports[name];
      if (!port) throw new Error(`V5 ${name} has not been started`);
      return `http://127.0.0.1:${port}`;
    },
    async start(name, extraEnv = {}) {
      const port = ports[name] ?? (await freePort());
      ports[name] = port;
      const logFile = join(logDir, `${name}-${logFiles.length}.log`);
      logFiles.push(logFile);
      const fd = openSync(logFile, 'a');
      let child: ChildProcess;
      try {
        child = spawn(
          process.execPath,
          [...SERVICE_NODE_FLAGS, '-r', join(ROOT, 'scripts', 'register-ts.js'), join(__dirname, `${name}.service.ts`)],
          {
            cwd: ROOT,
            env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...envOf(name), ...extraEnv, PORT: String(port) },
            stdio: ['ignore', fd, 'pipe'],
          },
        );
      } finally {
        closeSync(fd);
      }
      live.add(child);
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
      let gone = false;
      const exited = new Promise<void>((resolve) =>
        child.on('exit', () => {
          gone = true;
          live.delete(child);
          resolve();
        }),
      );
      const service: V5Service = { name, pid: child.pid!, port, url: `http://127.0.0.1:${port}`, logFile, exited };
      children.set(name, child);
      services[name] = service;
      await waitFor(
        `V5 ${name} to be ready`,
        async () => {
          if (gone) throw new Error(`V5 ${name} exited: ${stderr}`);
          const res = await fetch(`${service.url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
          await res.arrayBuffer();
          return res.status === 200;
        },
        { timeoutMs: 30_000, intervalMs: 20 },
      ).catch(async (error: unknown) => {
        if (!gone) await stop(name);
        throw error;
      });
      return service;
    },
    stop,
    async logs() {
      const lines: Record<string, unknown>[] = [];
      for (const file of logFiles) {
        const text = await readFile(file, 'utf8').catch(() => '');
        for (const line of text.split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      return lines;
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await db.query(sql.replaceAll('$schema', `"${schema}"`), params)).rows as T[];
    },
    async dispose() {
      for (const name of Object.keys(services) as V5ServiceName[]) await stop(name).catch(() => undefined);
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await db.end().catch(() => undefined);
      await rm(logDir, { recursive: true, force: true });
    },
  };
  try {
    for (const sql of SCHEMA_SQL(schema)) await db.query(sql);
  } catch (error) {
    await stack.dispose();
    throw error;
  }
  return stack;
}

/** Starts the V5 chain: the downstreams first, then the todo service that calls them. */
export async function startV5Chain(stack: V5Stack): Promise<void> {
  await Promise.all([stack.start('notification'), stack.start('analytics')]);
  await stack.start('todo');
}
