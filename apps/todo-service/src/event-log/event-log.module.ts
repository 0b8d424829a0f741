import { Module } from '@nestjs/common';
import { ListEventsHandler } from './queries/list-events/list-events.handler';
import { ListEventsHttpController } from './queries/list-events/list-events.http.controller';

const controllers = [ListEventsHttpController];
const queryHandlers = [ListEventsHandler];

/** Read access to the whole event store: the global stream in commit order. */
@Module({ controllers, providers: queryHandlers })
export class EventLogModule {}
