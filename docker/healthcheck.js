'use strict';
// Container healthcheck: GET http://<HOST or 127.0.0.1>:$PORT<path> (default /health/ready)
// with Node's built-in fetch, since the slim base image has no curl or wget.
// Exits 0 on a 2xx answer, 1 otherwise.

const DEFAULT_PORTS = {
  'todo-service': 8081,
  'notification-service': 8082,
  'analytics-service': 8083,
  'order-service': 8084,
  'inventory-service': 8085,
};

const path = process.argv[2] || '/health/ready';
const port = process.env.PORT || DEFAULT_PORTS[process.env.SERVICE] || 8081;
// A wildcard bind address is reached over loopback; a specific one is used as is.
const bind = process.env.HOST || '0.0.0.0';
const host = bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind.includes(':') ? `[${bind}]` : bind;
const url = `http://${host}:${port}${path.startsWith('/') ? path : `/${path}`}`;

fetch(url, { signal: AbortSignal.timeout(4000) })
  .then((response) => {
    if (!response.ok) process.stderr.write(`healthcheck: ${url} answered ${response.status}\n`);
    process.exit(response.ok ? 0 : 1);
  })
  .catch((error) => {
    process.stderr.write(`healthcheck: ${url} failed: ${error.message}\n`);
    process.exit(1);
  });
