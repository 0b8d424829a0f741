import { DynamicModule, Module } from '@nestjs/common';
import { storedEventModel } from '@todo/http-api';
import { GetCorrelationHandler } from './get-correlation.handler';
import { getCorrelationController } from './get-correlation.http.controller';
import { ListEventsHandler } from './list-events.handler';
import { listEventsController } from './list-events.http.controller';

/**
 * Read access to a service's event store: the global stream in commit order (what other
 * services rebuild their read models from) and one flow's timeline. The documents show
 * the service's own event types, generated from the contracts.
 */
@Module({})
export class EventLogModule {
  static forRoot(eventTypes: readonly string[]): DynamicModule {
    const model = storedEventModel('StoredEventResponse', eventTypes);
    return {
      module: EventLogModule,
      controllers: [listEventsController(model), getCorrelationController(model)],
      providers: [ListEventsHandler, GetCorrelationHandler],
    };
  }
}
