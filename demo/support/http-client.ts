/** The demos' HTTP client: JSON in and out on keep-alive sockets, with a deadline; never throws for a status. */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpAnswer {
  /** 0 when no answer came (connection refused, reset, deadline). */
  status: number;
  body?: Record<string, unknown>;
  ms: number;
  error?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function request(
  method: string,
  url: string,
  { body, headers = {}, timeoutMs = 10_000 }: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const startedAt = performance.now();
  const text = body === undefined ? undefined : JSON.stringify(body);
  const target = new URL(url);
  return new Promise((resolve) => {
    const settle = (answer: Omit<HttpAnswer, 'ms'>) => resolve({ ...answer, ms: performance.now() - startedAt });
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method,
        agent,
        timeout: timeoutMs,
        headers: { ...(text ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => settle({ status: 0, error: error.message }));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> | undefined;
          try {
            parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
          } catch {
            parsed = { raw };
          }
          settle({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => settle({ status: 0, error: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end(text);
  });
}
