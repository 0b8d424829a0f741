import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@todo/auth';
import { requireCorrelationId } from '@todo/http-api';
import { JOURNEY_SCRIPT, renderJourneyFormPage, renderJourneyPage } from './journey-page';

/** The journey pages for people (not HTTP API: left out of the OpenAPI document). They read nothing; the script asks with the caller's token. */
@ApiExcludeController()
@Public()
@Controller()
export class JourneyPageController {
  private readonly form = renderJourneyFormPage();

  @Get('journey')
  @Header('Content-Type', 'text/html; charset=utf-8')
  formPage(): string {
    return this.form;
  }

  @Get('journey/:correlationId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  journeyPage(@Param('correlationId') correlationId: string): string {
    return renderJourneyPage(requireCorrelationId(correlationId));
  }

  @Get('journey.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return JOURNEY_SCRIPT;
  }
}
