import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { RabbitContext } from '@todo/messaging';
import type { EntityManager } from 'typeorm';

/**
 * Injects the inbox transaction into an event handler. Every database write of the
 * handler must go through it, so the effect and the inbox entry commit together.
 */
export const InboxTransaction = createParamDecorator(
  (_data: unknown, context: ExecutionContext): EntityManager =>
    context.switchToRpc().getContext<RabbitContext>().getScope<EntityManager>(),
);
