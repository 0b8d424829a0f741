import { EventPattern } from '@nestjs/microservices';
import { PlatformEventType } from '@todo/events';

/**
 * Registers a controller method as the handler of one event type (its routing key).
 * The handler receives the validated event (`@Payload()`) and a RabbitContext (`@Ctx()`).
 */
export function OnEvent(type: PlatformEventType): MethodDecorator {
  return (target, key, descriptor) =>
    EventPattern(type, { handler: `${target.constructor.name}.${String(key)}` })(target, key, descriptor);
}
