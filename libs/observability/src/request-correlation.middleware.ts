import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'pino';
import { Correlation } from './correlation';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's X-Request-Id (or makes one), echoes it, and runs the rest of
 * the request inside its correlation scope so every event it causes carries it.
 */
export function requestCorrelation(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const offered = req.header(REQUEST_ID_HEADER);
    const requestId = offered && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const startedAt = process.hrtime.bigint();
    Correlation.run({ correlationId: requestId, causationId: requestId }, () => {
      res.on('finish', () => {
        logger.info(
          {
            method: req.method,
            path: req.originalUrl,
            status: res.statusCode,
            duration_ms: Number(process.hrtime.bigint() - startedAt) / 1e6,
          },
          'HTTP request',
        );
      });
      next();
    });
  };
}
