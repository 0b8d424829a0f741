import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { Application } from 'express';
import helmet from 'helmet';
import { JourneyRecorder, Logger, PlatformMetrics, requestCorrelation } from '@todo/observability';
import { HttpErrorFilter, StatusByCode } from './http-error.filter';
import { OpenApiOptions, createOpenApiDocument } from './openapi-document';
import { requestValidationPipe } from './validation.pipe';

export interface HttpApiOptions extends OpenApiOptions {
  statusByCode?: StatusByCode;
  metrics?: PlatformMetrics;
  /** Where each write request is noted as the first step of its journey. */
  journey?: JourneyRecorder;
  /** Largest JSON body accepted (the app must be created with `bodyParser: false`). */
  bodyLimitKb: number;
  /** Origins allowed to call from a browser; none means no CORS headers at all. */
  corsOrigins: readonly string[];
}

/**
 * The HTTP edge every service shares: helmet's headers, a stated body limit, CORS only
 * for configured origins, X-Request-Id correlation, validated input with unknown fields
 * rejected, JSON errors with stable codes, Swagger UI at /docs and the OpenAPI document
 * at /docs-json. Authentication and rate limits are guards (AuthModule).
 */
export function configureHttpApi(app: INestApplication, logger: Logger, options: HttpApiOptions): void {
  const express = app.getHttpAdapter().getInstance() as Application;
  // An ETag here is the version of a todo, set by its handlers. Express's own (a weak hash of any
  // body, error answers included) looks like one, yet sent back as If-Match it can only fail.
  express.set('etag', false);
  express.disable('x-powered-by');
  app.use(requestCorrelation(logger, options.metrics, options.journey));
  app.use(helmet());
  if (options.corsOrigins.length > 0)
    app.enableCors({ origin: [...options.corsOrigins], exposedHeaders: ['ETag', 'Location', 'X-Request-Id', 'Retry-After'] });
  const parsers = app as NestExpressApplication;
  parsers.useBodyParser('json', { limit: `${options.bodyLimitKb}kb` });
  parsers.useBodyParser('urlencoded', { limit: `${options.bodyLimitKb}kb`, extended: false });
  app.useGlobalPipes(requestValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter(logger, options.statusByCode));
  // The token given to "Authorize" stays across page reloads.
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app, options), { swaggerOptions: { persistAuthorization: true } });
}
