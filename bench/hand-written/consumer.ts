/**
 * A consumer, by hand: a durable queue bound to its routing keys, a bounded prefetch, and
 * per message one transaction that records the event id in the inbox and, unless it was
 * there already (a redelivery), writes the effect; the message is acked after the commit.
 * A message that fails is rejected into the queue's dead-letter queue, where the benchmark
 * looks for it.
 */
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Pool, PoolClient } from 'pg';
import type { TodoCreatedMessage } from './http-append';

export interface ConsumerOptions {
  exchange: string;
  queue: string;
  bindings: readonly string[];
  prefetch: number;
  /** The effect of a todo.created, inside the inbox transaction. */
  apply(tx: PoolClient, event: TodoCreatedMessage): Promise<void>;
}

export interface Consumer {
  stop(): Promise<void>;
}

export const deadLetterQueueOf = (queue: string) => `${queue}.dlq`;

async function processMessage(pool: Pool, options: ConsumerOptions, event: TodoCreatedMessage): Promise<void> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const { rowCount } = await tx.query('INSERT INTO inbox (event_id) VALUES ($1) ON CONFLICT DO NOTHING', [event.event_id]);
    if (rowCount === 1 && event.event_type === 'todo.created') await options.apply(tx, event);
    await tx.query('COMMIT');
  } catch (error) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    tx.release();
  }
}

export async function startConsumer(connection: ChannelModel, pool: Pool, options: ConsumerOptions): Promise<Consumer> {
  const channel: Channel = await connection.createChannel();
  const dlq = deadLetterQueueOf(options.queue);
  await channel.assertExchange(options.exchange, 'topic', { durable: true });
  await channel.assertQueue(dlq, { durable: true });
  await channel.assertQueue(options.queue, {
    durable: true,
    arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': dlq },
  });
  for (const key of options.bindings) await channel.bindQueue(options.queue, options.exchange, key);
  await channel.prefetch(options.prefetch);
  const inFlight = new Set<Promise<void>>();
  const handle = async (message: ConsumeMessage) => {
    try {
      await processMessage(pool, options, JSON.parse(message.content.toString()) as TodoCreatedMessage);
      channel.ack(message);
    } catch (error) {
      process.stderr.write(`${options.queue}: ${String(error)}\n`);
      channel.nack(message, false, false);
    }
  };
  const { consumerTag } = await channel.consume(options.queue, (message) => {
    if (!message) return;
    const work = handle(message).finally(() => inFlight.delete(work));
    inFlight.add(work);
  });
  return {
    async stop() {
      await channel.cancel(consumerTag);
      await Promise.allSettled([...inFlight]);
      await channel.close();
    },
  };
}
