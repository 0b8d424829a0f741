import { Writable } from 'node:stream';
import { ArgumentsHost, ServiceUnavailableException } from '@nestjs/common';
import { createLogger } from '@todo/observability';
import { HttpErrorFilter } from './http-error.filter';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString()
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      );
      done();
    },
  });
  return { logger: createLogger({ service: 'todo-service', destination: stream }), lines };
}

/** What the filter is given for one HTTP request, and what it answered. */
function httpHost() {
  const answer: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const response = {
    setHeader: (name: string, value: string) => (answer.headers[name] = value),
    status(code: number) {
      answer.status = code;
      return this;
    },
    json: (body: unknown) => (answer.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, answer };
}

describe('HttpErrorFilter', () => {
  it('logs a readiness check answering 503 (a dependency not up yet) as a warning naming it, without a stack', () => {
    const { logger, lines } = capture();
    const { host, answer } = httpHost();
    // What @nestjs/terminus throws from /health/ready while the broker is still connecting.
    const report = {
      status: 'error',
      info: { postgres: { status: 'up' } },
      error: { rabbitmq: { status: 'down', message: 'not connected yet' } },
      details: { postgres: { status: 'up' }, rabbitmq: { status: 'down', message: 'not connected yet' } },
    };

    new HttpErrorFilter(logger).catch(new ServiceUnavailableException(report), host);

    expect(answer.status).toBe(503);
    expect(answer.headers['Retry-After']).toBe('1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      down: { rabbitmq: { status: 'down', message: 'not connected yet' } },
      msg: 'Request answered 503',
    });
    expect(JSON.stringify(lines[0])).not.toContain('stack');
  });

  it('logs the database being away (503) as a warning without a stack', () => {
    const { logger, lines } = capture();
    const { host, answer } = httpHost();

    new HttpErrorFilter(logger).catch(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), host);

    expect(answer.status).toBe(503);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', status: 503, reason: 'the database is unavailable; retry shortly' })]);
    expect(JSON.stringify(lines[0])).not.toContain('stack');
  });

  it('logs a genuine fault (500) as an error with its stack', () => {
    const { logger, lines } = capture();
    const { host, answer } = httpHost();

    new HttpErrorFilter(logger).catch(new TypeError('cannot read properties of undefined'), host);

    expect(answer.status).toBe(500);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'Request failed',
        err: expect.objectContaining({ message: 'cannot read properties of undefined', stack: expect.stringContaining('TypeError') }),
      }),
    ]);
  });

  it('logs nothing for an error the caller made (4xx)', () => {
    const { logger, lines } = capture();
    const { host, answer } = httpHost();

    new HttpErrorFilter(logger, { 'TODO.NOT_FOUND': 404 }).catch(
      Object.assign(new Error('todo 42 does not exist'), { code: 'TODO.NOT_FOUND' }),
      host,
    );

    expect(answer.status).toBe(404);
    expect(lines).toEqual([]);
  });
});
