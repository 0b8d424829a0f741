import { Controller, Get, Header, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@todo/auth';
import { AsyncApiDocument, platformAsyncApi } from '@todo/messaging';
import { renderAsyncApiPage } from './asyncapi-page';

/**
 * The platform's message contract, served by every service: `GET /asyncapi.json`, the
 * AsyncAPI document, and `GET /asyncapi`, the same as a page for people. Both are built
 * once, from the code. (Not HTTP API: left out of the OpenAPI document, like /metrics.)
 */
@ApiExcludeController()
@Public()
@Controller()
class AsyncApiController {
  private readonly document: AsyncApiDocument = platformAsyncApi();
  private readonly page = renderAsyncApiPage(this.document);

  @Get('asyncapi.json')
  json(): AsyncApiDocument {
    return this.document;
  }

  @Get('asyncapi')
  @Header('Content-Type', 'text/html; charset=utf-8')
  html(): string {
    return this.page;
  }
}

@Module({ controllers: [AsyncApiController] })
export class AsyncApiModule {}
