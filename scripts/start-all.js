#!/usr/bin/env node
/**
 * Starts the three built services as child processes against the local RabbitMQ and
 * PostgreSQL (each migrates its own schema before it serves). Ctrl-C or SIGTERM stops
 * them gracefully; if one dies, the others are stopped too.
 */
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const nodeFlags = require('./service-node-flags');

const services = ['todo-service', 'notification-service', 'analytics-service'];
const children = services.map((name) => {
  const entry = join(__dirname, '..', 'dist', 'apps', name, 'apps', name, 'src', 'main.js');
  const child = spawn(process.execPath, [...nodeFlags, entry], { stdio: 'inherit', env: process.env });
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
