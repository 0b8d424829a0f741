import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { RabbitContext } from '@todo/messaging';
import type { EntityManager } from 'typeorm';
import type { InboxScope } from './inbox';

const scopeOf = (context: ExecutionContext): InboxScope => context.switchToRpc().getContext<RabbitContext>().getScope<InboxScope>();

/**
 * Injects the inbox transaction into an event handler. Every database write of the
 * handler must go through it, so the effect and the inbox entry commit together.
 */
export const InboxTransaction = createParamDecorator((_data: unknown, context: ExecutionContext): EntityManager => scopeOf(context).tx);

/**
 * Injects `afterCommit(task)`: for effects outside the database (mail, HTTP calls)
 * that must only start once the handler's transaction has committed.
 */
export const AfterCommit = createParamDecorator(
  (_data: unknown, context: ExecutionContext): InboxScope['afterCommit'] => scopeOf(context).afterCommit,
);
