import { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import type { Application } from 'express';
import { Logger, PlatformMetrics, requestCorrelation } from '@todo/observability';
import { HttpErrorFilter, StatusByCode } from './http-error.filter';
import { OpenApiOptions, createOpenApiDocument } from './openapi-document';
import { requestValidationPipe } from './validation.pipe';

export interface HttpApiOptions extends OpenApiOptions {
  statusByCode?: StatusByCode;
  metrics?: PlatformMetrics;
}

/**
 * The HTTP edge every service shares: X-Request-Id correlation, validated input with
 * unknown fields rejected, JSON errors with stable codes, Swagger UI at /docs and the
 * OpenAPI document at /docs-json.
 */
export function configureHttpApi(app: INestApplication, logger: Logger, options: HttpApiOptions): void {
  // An ETag here is the version of a todo, set by its handlers. Express's own (a weak hash of any
  // body, error answers included) looks like one, yet sent back as If-Match it can only fail.
  (app.getHttpAdapter().getInstance() as Application).set('etag', false);
  app.use(requestCorrelation(logger, options.metrics));
  app.useGlobalPipes(requestValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter(logger, options.statusByCode));
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app, options));
}
