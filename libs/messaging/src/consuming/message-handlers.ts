import type { ConsumeMessage } from 'amqplib';

/** What a handler learns about the delivery besides the message: the unit of work's scope, the attempt, the raw message. */
export type HandlerContext<TScope extends object = object> = TScope & {
  /** 1 on the first delivery, raised by each broker-delayed retry. */
  attempt: number;
  /** The AMQP message as delivered (properties, headers). */
  amqpMessage: ConsumeMessage;
};

/** One route of a consumer: the handler of one message type. */
export interface MessageHandler {
  /** `Class.method`, as logs and spans name it. */
  readonly name: string;
  handle(message: Record<string, unknown>, context: HandlerContext): Promise<void> | void;
}

/**
 * A consumer's route table: message type → its one handler. Built once at start-up (from
 * the `@OnEvent` / `@OnCommand` methods of the service's providers) and logged, so the
 * way from a queue to a handler is a lookup a reader can see.
 */
export class MessageHandlers {
  private readonly routes = new Map<string, MessageHandler>();

  constructor(entries: Iterable<readonly [type: string, handler: MessageHandler]> = []) {
    for (const [type, handler] of entries) this.add(type, handler);
  }

  add(type: string, handler: MessageHandler): this {
    const existing = this.routes.get(type);
    if (existing)
      throw new Error(`${type} has two handlers, ${existing.name} and ${handler.name}; a message type has one handler per consumer`);
    this.routes.set(type, handler);
    return this;
  }

  find(type: string): MessageHandler | undefined {
    return this.routes.get(type);
  }

  /** The route table, for the start-up log: `todo.completed → TodoCompletedHandler.handle`. */
  describe(): Record<string, string> {
    return Object.fromEntries([...this.routes].map(([type, handler]) => [type, handler.name]));
  }

  get size(): number {
    return this.routes.size;
  }
}
