import { INestApplication } from '@nestjs/common';
import { Logger } from 'pino';

/**
 * On SIGTERM or SIGINT: stop the app (HTTP first, then consumers drain and ack, then
 * the outbox relay flushes, then connections close) and exit 0 — or exit 1 if that
 * takes longer than `timeoutMs`. Unacked messages are then redelivered elsewhere and
 * unsent outbox entries wait for the next relay, so even the forced exit loses nothing.
 */
export function exitGracefullyOnSignals(
  app: INestApplication,
  logger: Logger,
  timeoutMs: number,
  /** Last words before exit, e.g. flushing buffered spans. */
  beforeExit: () => Promise<void> = async () => undefined,
): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal, timeout_ms: timeoutMs }, 'Shutting down');
    const watchdog = setTimeout(() => exit(1, 'Shutdown took too long; exiting anyway'), timeoutMs);
    watchdog.unref();
    app.close().then(
      () => beforeExit().finally(() => exit(0, 'Stopped')),
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        exit(1, 'Stopped after a failed shutdown');
      },
    );
  };
  const exit = (code: number, message: string) => {
    logger[code === 0 ? 'info' : 'error'](message);
    logger.flush(() => process.exit(code));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
