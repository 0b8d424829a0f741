import { Writable } from 'node:stream';
import { Logger, createLogger } from '@todo/observability';

export interface CapturedLogs {
  logger: Logger;
  lines: Record<string, unknown>[];
  find(msg: string): Record<string, unknown>[];
}

/** A real JSON logger whose lines the test can read back. */
export function captureLogs(service: string): CapturedLogs {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger({ service, level: 'info', destination: sink });
  return { logger, lines, find: (msg) => lines.filter((l) => l.msg === msg) };
}
