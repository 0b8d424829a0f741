import pino, { Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { Correlation } from './correlation';
import { activeTraceIds } from './tracing/trace-context';

export type { Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  level?: string;
  /** `json` (default): one object a line, for machines; `pretty`: coloured lines for a person at a terminal. */
  format?: 'json' | 'pretty';
  /** Where lines go; stdout when omitted. Tests pass a stream to read them. */
  destination?: pino.DestinationStream;
}

/**
 * A JSON logger whose every line inside a request or message handler carries
 * the correlation id of that flow, and trace_id/span_id when tracing is on.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const scope = Correlation.current();
        return { ...(scope ? { correlation_id: scope.correlationId } : {}), ...activeTraceIds() };
      },
    },
    options.format === 'pretty' ? pretty(options.destination) : (options.destination ?? pino.destination({ dest: 1, sync: false })),
  );
}

/** Human-readable lines (on stdout by default), formatted in-process (no worker thread), coloured on a terminal. */
function pretty(destination: pino.DestinationStream | undefined): pino.DestinationStream {
  return pinoPretty({
    destination: destination ?? 1,
    colorize: destination === undefined && process.stdout.isTTY === true,
    messageKey: 'msg',
    translateTime: 'SYS:HH:MM:ss.l',
    messageFormat: '{service}: {msg}',
    ignore: 'pid,hostname,service',
    singleLine: true,
    sync: true,
  });
}

/** Injection token for the service's JSON logger. */
export const LOGGER = Symbol('LOGGER');
