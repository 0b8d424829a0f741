import { LoggerService } from '@nestjs/common';
import { Logger } from 'pino';

export interface PinoNestLoggerOptions {
  /**
   * The level of Nest's own report of an error that fails the start (its `ExceptionHandler`
   * line, stack included). `debug` when the application is created with `abortOnError: false`
   * and the caller reports the error it is thrown; `error` (the default) otherwise, since
   * Nest then aborts the process and its line is the only one.
   */
  startErrors?: 'error' | 'debug';
}

/** Routes Nest's own log lines (bootstrap, route mapping, errors) into the JSON logger. */
export class PinoNestLogger implements LoggerService {
  constructor(
    private readonly logger: Logger,
    private readonly options: PinoNestLoggerOptions = {},
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    const startError = rest[rest.length - 1] === 'ExceptionHandler';
    this.write(startError ? (this.options.startErrors ?? 'error') : 'error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    // Nest passes the context (class name) last, and a stack before it for errors.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? (rest[0] as string) : undefined;
    if (message instanceof Error) {
      this.logger[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context, ...message });
    } else {
      this.logger[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}
