import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';

/** A confirm channel that records publishes and confirms (or refuses) each at once: for the stages' unit tests. */
export function fakeConfirmChannel(refuse = false) {
  const published: { exchange: string; routingKey: string; content: Buffer; options: Options.Publish }[] = [];
  const channel = {
    publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish, done: (err: unknown) => void) {
      published.push({ exchange, routingKey, content, options });
      setImmediate(() => done(refuse ? new Error('nacked') : null));
      return true;
    },
  } as unknown as ConfirmChannel;
  return { channel, published };
}

/** A delivered message, as amqplib hands it to a consumer. */
export function deliveredMessage(body: unknown, headers: Record<string, unknown> = {}, routingKey = 'todo.created'): ConsumeMessage {
  return {
    content: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    fields: { deliveryTag: 1, redelivered: false, exchange: 'todo-events', routingKey, consumerTag: 'c' },
    properties: { headers, messageId: 'm-1', contentType: 'application/json' },
  } as unknown as ConsumeMessage;
}
