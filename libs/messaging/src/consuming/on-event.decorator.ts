import { UseFilters, applyDecorators } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { PlatformEventType } from '@todo/events';
import { RethrowRpcErrorsFilter } from './rethrow-rpc-errors.filter';

/**
 * Registers a controller method as the handler of one event type (its routing key).
 * The handler receives the validated event (`@Payload()`) and a RabbitContext (`@Ctx()`).
 */
export function OnEvent(type: PlatformEventType): MethodDecorator {
  return (target, key, descriptor) =>
    applyDecorators(
      EventPattern(type, { handler: `${target.constructor.name}.${String(key)}` }),
      // Keeps the handler's own error, so the transport can tell a permanent failure from a transient one.
      UseFilters(RethrowRpcErrorsFilter),
    )(target, key, descriptor);
}
