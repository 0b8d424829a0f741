#!/usr/bin/env node
'use strict';
/**
 * Starts the built services as child processes against the local RabbitMQ and
 * PostgreSQL (each migrates its own schema before it serves), and prints where each one
 * answers once all are ready. Ctrl-C or SIGTERM stops them gracefully; if one dies, the
 * others are stopped too.
 *
 * The children share this process's environment (and each reads `.env` itself), except
 * what must differ per service: PORT, DB_SCHEMA and OTEL_SERVICE_NAME keep each service's
 * own default here. Run a service alone (`npm run start:todo`) to give it other ones.
 */
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const nodeFlags = require('./service-node-flags');

const services = [
  { name: 'todo-service', port: 8081 },
  { name: 'notification-service', port: 8082 },
  { name: 'analytics-service', port: 8083 },
  { name: 'order-service', port: 8084 },
  { name: 'inventory-service', port: 8085 },
];
const READY_TIMEOUT_MS = 90_000;

const env = { ...process.env };
for (const perService of ['PORT', 'DB_SCHEMA', 'OTEL_SERVICE_NAME']) delete env[perService];
// The walkthrough's admin (it stocks the inventory): on this machine only, as every service listens on 127.0.0.1.
env.ADMIN_EMAILS ??= 'admin@example.com';

const children = services.map(({ name }) => {
  const entry = join(__dirname, '..', 'dist', 'apps', name, 'apps', name, 'src', 'main.js');
  const child = spawn(process.execPath, [...nodeFlags, entry], { stdio: 'inherit', env });
  child.on('exit', (code, signal) => {
    process.stderr.write(`${name} exited (${signal ?? code})\n`);
    stop(code ?? 1);
  });
  return child;
});

let stopping = false;
function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const check = setInterval(() => {
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) {
      clearInterval(check);
      process.exit(exitCode);
    }
  }, 100);
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const bind = process.env.HOST || '127.0.0.1';
const host = bind === '0.0.0.0' || bind === '::' ? 'localhost' : bind.includes(':') ? `[${bind}]` : bind;
const urlOf = (port) => `http://${host}:${port}`;

async function ready({ port }) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!stopping && Date.now() < deadline) {
    const answer = await fetch(`${urlOf(port)}/health/ready`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (answer?.ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

void Promise.all(services.map(ready)).then((answers) => {
  if (stopping) return;
  const late = services.filter((_, i) => !answers[i]).map((s) => s.name);
  if (late.length > 0) {
    process.stderr.write(`not ready after ${READY_TIMEOUT_MS / 1000} s: ${late.join(', ')} (see the log lines above)\n`);
    return;
  }
  const width = Math.max(...services.map((s) => s.name.length));
  const lines = services.map(
    ({ name, port }) => `  ${name.padEnd(width)}  API ${urlOf(port)}   Swagger ${urlOf(port)}/docs   metrics ${urlOf(port)}/metrics`,
  );
  process.stdout.write(
    `\nReady:\n${lines.join('\n')}\n\n  Try: curl -X POST ${urlOf(8081)}/todos -H 'Content-Type: application/json' -d '{"title":"hello"}'\n\n`,
  );
});
