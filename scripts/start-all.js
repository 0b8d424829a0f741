#!/usr/bin/env node
'use strict';
/**
 * Starts the built services as child processes against the local RabbitMQ and
 * PostgreSQL (each migrates its own schema before it serves), and prints where each one
 * answers once all are ready, with a first request to paste (signed in as the demo user).
 * Ctrl-C or SIGTERM stops them gracefully; if one dies, the others are stopped too.
 *
 * The children share this process's environment and `.env`, except what must differ per
 * service: PORT, DB_SCHEMA and OTEL_SERVICE_NAME keep each service's own default here. Run
 * a service alone (`npm run start:todo`) to give it other ones.
 */
const { spawn, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { readCommandLine, refuse } = require('./cli-usage');
const nodeFlags = require('./service-node-flags');

const START_ALL = {
  usage: ['npm start', 'node scripts/start-all.js'],
  summary:
    'Builds the services (npm run build), provisions this machine (npm run setup:local), then runs the five services ' +
    '(todo, notification, analytics, order, inventory) as child processes, each on its own port (8081 to 8085), until ' +
    'Ctrl-C. Once all are ready it prints their URLs and a first request to try, signed in as the demo user.',
  readsDotEnv: true,
  environment: {
    HOST: 'the address every service listens on (default 127.0.0.1); off loopback, the two defaults below are not set',
    ADMIN_EMAILS: 'addresses whose tokens carry the admin role (default here: admin@example.com)',
    DEMO_USER_EMAIL: 'the demo user todo-service registers at its first start (default demo@example.com)',
    DEMO_USER_PASSWORD: 'its password; the Try: line signs in with it (default here: a fixed local one, shown in that line)',
    '…': 'every other service variable (.env.example, docs/configuration.md) is passed to all five',
    'PORT, DB_SCHEMA, OTEL_SERVICE_NAME': 'not passed on: each service keeps its own',
  },
};
if (readCommandLine(START_ALL).positionals.length > 0) refuse(START_ALL, 'start-all takes no arguments');

// Build and provision here, after the arguments were read, so that `npm start -- --help` does neither.
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
for (const [command, ...args] of [
  [...npm, 'run', 'build'],
  [process.execPath, join(__dirname, 'setup-local.js')],
]) {
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) {
    process.stderr.write(`${args.join(' ')} failed (exit ${status}); nothing was started\n`);
    process.exit(status ?? 1);
  }
}

// Loaded here too (the services read it themselves as well) to know the demo user the Try: line signs in as.
if (existsSync('.env')) process.loadEnvFile('.env');
require('./register-ts.js');
const { LOCAL_DEMO_PASSWORD, firstRequest } = require('./first-request.ts');
const { TodoServiceConfig } = require('../apps/todo-service/src/config/todo-service.config.ts');

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
const bind = process.env.HOST || '127.0.0.1';
// The walkthrough's admin (it stocks the inventory) and its demo user with a published password:
// only while the services listen on loopback. Reachable from elsewhere, they are whatever .env says.
const loopback = bind === 'localhost' || bind === '::1' || bind.startsWith('127.');
if (loopback) {
  env.ADMIN_EMAILS ||= 'admin@example.com';
  env.DEMO_USER_PASSWORD ||= LOCAL_DEMO_PASSWORD;
}
const demoUser = { email: env.DEMO_USER_EMAIL || new TodoServiceConfig().DEMO_USER_EMAIL, password: env.DEMO_USER_PASSWORD };

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
  const tryIt = demoUser.password
    ? `  Try (signs in as ${demoUser.email}, then creates a todo):\n  ${firstRequest({ apiUrl: urlOf(8081), ...demoUser })}`
    : `  Listening on ${bind}, not loopback: set DEMO_USER_PASSWORD to have the demo user ${demoUser.email} registered.`;
  process.stdout.write(`\nReady:\n${lines.join('\n')}\n\n${tryIt}\n\n`);
});
