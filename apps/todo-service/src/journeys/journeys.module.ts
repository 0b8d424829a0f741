import { Module } from '@nestjs/common';
import { JourneyHttpController } from './journey.http.controller';
import { JourneyPageController } from './journey-page.controller';
import { JourneyReader } from './journey.reader';

/** One request's journey across the services: GET /journeys/:id, and the live page at /journey/:id. */
@Module({ controllers: [JourneyHttpController, JourneyPageController], providers: [JourneyReader] })
export class JourneysModule {}
