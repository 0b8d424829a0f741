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
 * A consumer's route table: message type → its handler(s). Built once at start-up (from
 * the `@OnEvent` / `@OnCommand` methods of the service's providers) and logged, so the
 * way from a queue to a handler is a lookup a reader can see.
 */
export class MessageHandlers {
  private readonly routes = new Map<string, MessageHandler>();

  constructor(entries: Iterable<readonly [type: string, handler: MessageHandler]> = []) {
    for (const [type, handler] of entries) this.add(type, handler);
  }

  /**
   * A second handler of a type runs after the first, in the same unit of work: both
   * effects commit together, or neither (an order.created both starts a saga and
   * updates a view).
   */
  add(type: string, handler: MessageHandler): this {
    const existing = this.routes.get(type);
    if (!existing) {
      this.routes.set(type, handler);
      return this;
    }
    this.routes.set(type, {
      name: `${existing.name} + ${handler.name}`,
      handle: async (message, context) => {
        await existing.handle(message, context);
        await handler.handle(message, context);
      },
    });
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
