import { Module } from '@nestjs/common';
import { GetCorrelationHandler } from './queries/get-correlation/get-correlation.handler';
import { GetCorrelationHttpController } from './queries/get-correlation/get-correlation.http.controller';
import { ListEventsHandler } from './queries/list-events/list-events.handler';
import { ListEventsHttpController } from './queries/list-events/list-events.http.controller';

const controllers = [ListEventsHttpController, GetCorrelationHttpController];
const queryHandlers = [ListEventsHandler, GetCorrelationHandler];

/** Read access to the whole event store: the global stream in commit order, and one flow's timeline. */
@Module({ controllers, providers: queryHandlers })
export class EventLogModule {}
