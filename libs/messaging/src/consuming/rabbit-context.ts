import { BaseRpcContext } from '@nestjs/microservices';
import type { ConsumeMessage } from 'amqplib';

type RabbitContextArgs = [message: ConsumeMessage, scope: unknown, attempt: number];

/** What a handler can learn about the delivery it is handling (`@Ctx()`). */
export class RabbitContext extends BaseRpcContext<RabbitContextArgs> {
  getMessage(): ConsumeMessage {
    return this.args[0];
  }
  /** The unit of work opened by the message processing (the inbox transaction). */
  getScope<T>(): T {
    return this.args[1] as T;
  }
  /** 1 on the first delivery, raised by each broker-delayed retry. */
  getAttempt(): number {
    return this.args[2];
  }
}
