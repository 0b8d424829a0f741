import { SetMetadata } from '@nestjs/common';
import { MessageKind, PlatformEventType } from '@todo/events';

export const ON_MESSAGE = Symbol('todo-platform.on-message');

export interface OnMessageMetadata {
  kind: MessageKind;
  types: readonly string[];
}

/**
 * Makes a provider's method the handler of one or more event types (their routing keys).
 * It is called with the validated, upcast event and a context holding the inbox
 * transaction (`tx`), `afterCommit`, the `attempt` and the raw AMQP message:
 *
 *   @OnEvent(EventType.Todo.Completed)
 *   handle(event: TodoCompleted, { tx, afterCommit }: InboxContext): Promise<void>
 */
export const OnEvent = (...types: [PlatformEventType, ...PlatformEventType[]]): MethodDecorator =>
  SetMetadata<symbol, OnMessageMetadata>(ON_MESSAGE, { kind: 'event', types });

/** Makes a provider's method the handler of a command type addressed to this service's queue. */
export const OnCommand = (...types: [string, ...string[]]): MethodDecorator =>
  SetMetadata<symbol, OnMessageMetadata>(ON_MESSAGE, { kind: 'command', types });
