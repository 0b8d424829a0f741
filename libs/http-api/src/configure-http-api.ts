import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger, PlatformMetrics, requestCorrelation } from '@todo/observability';
import { HttpErrorFilter, StatusByCode } from './http-error.filter';
import { requestValidationPipe } from './validation.pipe';

export interface HttpApiOptions {
  title: string;
  description: string;
  statusByCode?: StatusByCode;
  metrics?: PlatformMetrics;
}

/**
 * The HTTP edge every service shares: X-Request-Id correlation, validated input with
 * unknown fields rejected, JSON errors with stable codes, Swagger UI at /docs.
 */
export function configureHttpApi(app: INestApplication, logger: Logger, options: HttpApiOptions): void {
  app.use(requestCorrelation(logger, options.metrics));
  app.useGlobalPipes(requestValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter(logger, options.statusByCode));
  const document = new DocumentBuilder().setTitle(options.title).setDescription(options.description).setVersion('1').build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, document));
}
