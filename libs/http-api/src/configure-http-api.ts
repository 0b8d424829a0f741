import { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
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
  app.use(requestCorrelation(logger, options.metrics));
  app.useGlobalPipes(requestValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter(logger, options.statusByCode));
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app, options));
}
