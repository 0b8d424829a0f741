import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { MessageHandler, MessageHandlers } from '../message-handlers';
import { ON_MESSAGE, OnMessageMetadata } from './on-message.decorator';

/**
 * Builds the consumer's route table from the service's providers: every method marked
 * `@OnEvent(type)` or `@OnCommand(type)` becomes the handler of its types, called directly
 * (no per-message RPC context or parameter decorators).
 */
@Injectable()
export class MessageHandlerExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  explore(): MessageHandlers {
    const handlers = new MessageHandlers();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method] as ((...args: unknown[]) => unknown) | undefined;
        if (typeof fn !== 'function') continue;
        const metadata = this.reflector.get<OnMessageMetadata | undefined>(ON_MESSAGE, fn);
        if (!metadata) continue;
        const handler: MessageHandler = {
          name: `${instance.constructor.name}.${method}`,
          handle: fn.bind(instance) as MessageHandler['handle'],
        };
        for (const type of metadata.types) handlers.add(type, handler);
      }
    }
    return handlers;
  }
}
