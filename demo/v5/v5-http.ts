/**
 * What the three V5 services share: a JSON request log line per request on stdout (their
 * only record of what they did), reading a JSON body, and the synchronous call to another
 * service, with a timeout, that every V5 write path is made of.
 */
import http from 'node:http';

export function logLine(service: string, fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), service, ...fields })}\n`);
}

export async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
}

export function answer(res: http.ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export class DownstreamError extends Error {
  constructor(
    readonly service: string,
    message: string,
  ) {
    super(`${service}: ${message}`);
  }
}

const agent = new http.Agent({ keepAlive: true });

/** POSTs `body` to another service and waits for its 2xx; anything else, or no answer within `timeoutMs`, throws. */
export function callService(service: string, url: string, body: unknown, requestId: string, timeoutMs: number): Promise<void> {
  const text = JSON.stringify(body);
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': requestId },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode && res.statusCode < 300 ? resolve() : reject(new DownstreamError(service, `answered ${res.statusCode}`)),
        );
        res.on('error', (error) => reject(new DownstreamError(service, error.message)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => reject(new DownstreamError(service, error.message)));
    req.end(text);
  });
}

/**
 * Serves `handle` on PORT. SIGTERM stops taking connections, answers what is in flight
 * (each answer then closes its keep-alive connection) and exits.
 */
export function serve(
  service: string,
  handle: (req: http.IncomingMessage, res: http.ServerResponse, requestId: string) => Promise<void>,
  onClose: () => Promise<void> = async () => undefined,
): void {
  let closing = false;
  const server = http.createServer((req, res) => {
    const startedAt = performance.now();
    if (closing) res.setHeader('connection', 'close');
    const requestId = String(req.headers['x-request-id'] ?? '');
    res.on('finish', () =>
      logLine(service, {
        request_id: requestId || undefined,
        method: req.method,
        path: req.url,
        status: res.statusCode,
        ms: Number((performance.now() - startedAt).toFixed(2)),
      }),
    );
    handle(req, res, requestId).catch((error: unknown) => {
      logLine(service, { level: 'error', request_id: requestId || undefined, err: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) answer(res, 500, { code: 'INTERNAL' });
    });
  });
  server.keepAliveTimeout = 5_000;
  server.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => {
    closing = true;
    server.close(() => void onClose().finally(() => process.exit(0)));
    server.closeIdleConnections();
  });
}
