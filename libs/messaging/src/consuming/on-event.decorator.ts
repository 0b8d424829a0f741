import { UseFilters, applyDecorators } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { PlatformEventType } from '@todo/events';
import { RethrowRpcErrorsFilter } from './rethrow-rpc-errors.filter';

/**
 * Registers a controller method as the handler of one or more event types (their
 * routing keys). The handler receives the validated, upcast event (`@Payload()`) and a
 * RabbitContext (`@Ctx()`).
 */
export function OnEvent(...types: [PlatformEventType, ...PlatformEventType[]]): MethodDecorator {
  return (target, key, descriptor) =>
    applyDecorators(
      EventPattern(types, { handler: `${target.constructor.name}.${String(key)}` }),
      // Keeps the handler's own error, so the transport can tell a permanent failure from a transient one.
      UseFilters(RethrowRpcErrorsFilter),
    )(target, key, descriptor);
}
