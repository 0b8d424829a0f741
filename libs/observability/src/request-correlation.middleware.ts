import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'pino';
import { Correlation } from './correlation';
import { JourneyRecorder, traceIdOf } from './journey/journey-recorder';
import { PlatformMetrics } from './metrics/platform-metrics';
import { TRACER_NAME, contextFrom } from './tracing/trace-context';

export const REQUEST_ID_HEADER = 'x-request-id';
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** An X-Request-Id the caller may choose; any other is replaced by a generated one. */
export const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's X-Request-Id (or makes one), echoes it, and runs the rest of
 * the request inside its correlation scope so every event it causes carries it — and
 * inside a server span, so the events' trace starts at the request. Counts and times
 * the request for /metrics, and notes an authenticated write (anything but GET, HEAD and
 * OPTIONS, on a route) as the first step of its journey.
 */
export function requestCorrelation(logger: Logger, metrics?: PlatformMetrics, journey?: JourneyRecorder) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const offered = req.header(REQUEST_ID_HEADER);
    const requestId = offered && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const startedAt = process.hrtime.bigint();
    const startedAtWall = new Date();
    // Under the HTTP instrumentation its span is already active; otherwise continue the caller's traceparent.
    const parent = trace.getSpan(context.active()) ? context.active() : contextFrom(req.headers as Record<string, unknown>);
    const span = trace.getTracer(TRACER_NAME).startSpan(
      `${req.method} ${req.path}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'url.path': req.path, 'todo.correlation_id': requestId },
      },
      parent,
    );
    context.with(trace.setSpan(parent, span), () =>
      Correlation.run({ correlationId: requestId, causationId: requestId }, () => {
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
          const route = req.route ? `${req.baseUrl}${req.route.path}` : 'unmatched';
          span.setAttribute('http.route', route);
          span.updateName(`${req.method} ${route}`);
          span.setAttribute('http.response.status_code', res.statusCode);
          if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          const labels = { method: req.method, route, status: String(res.statusCode) };
          metrics?.httpRequests.inc(labels);
          metrics?.httpDuration.observe(labels, seconds);
          logger.info({ method: req.method, path: req.originalUrl, status: res.statusCode, duration_ms: seconds * 1000 }, 'HTTP request');
          // Only a caller's own writes: an anonymous or unmatched request is nobody's journey (and costs no row).
          const userId = (req as Request & { user?: { id?: number } }).user?.id;
          if (journey && !READS.has(req.method) && userId !== undefined && req.route) {
            journey.record({
              kind: 'http',
              correlationId: requestId,
              userId,
              name: `${req.method} ${route}`,
              outcome: String(res.statusCode),
              detail: res.writableFinished ? undefined : 'the client went away before the answer',
              startedAt: startedAtWall,
              durationMs: seconds * 1000,
              traceId: traceIdOf(span),
            });
          }
        };
        // 'close' also covers a client that went away before the answer was sent.
        res.on('finish', end);
        res.on('close', end);
        next();
      }),
    );
  };
}
