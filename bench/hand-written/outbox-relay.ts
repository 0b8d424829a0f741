/**
 * The outbox relay, by hand: one connection that LISTENs for appends, and a loop that
 * takes every unsent row in id order (up to a batch), publishes them all on a confirm
 * channel (persistent) without waiting in between, waits for the broker's confirms once
 * for the batch, and marks the batch sent. Rows stay unsent until confirmed, so a crash
 * publishes them again (consumers dedupe in their inbox). A slow poll covers a missed
 * notification.
 */
import type { ConfirmChannel } from 'amqplib';
import { Client } from 'pg';
import { OUTBOX_CHANNEL } from './http-append';

const BATCH = 500;
const POLL_MS = 1_000;

export interface Relay {
  stop(): Promise<void>;
}

export async function startRelay(databaseUrl: string, schema: string, channel: ConfirmChannel, exchange: string): Promise<Relay> {
  const client = new Client({ connectionString: databaseUrl, options: `-c search_path="${schema}"` });
  await client.connect();
  let stopping = false;
  let pending = true;
  let wake: (() => void) | undefined;
  const notify = () => {
    pending = true;
    wake?.();
  };
  client.on('notification', notify);
  await client.query(`LISTEN ${OUTBOX_CHANNEL}`);

  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (wake = undefined));

  const loop = (async () => {
    while (!stopping) {
      if (!pending) await sleep();
      pending = false;
      try {
        const { rows } = await client.query<{ id: string; event_id: string; routing_key: string; payload: string }>(
          'SELECT id, event_id, routing_key, payload::text AS payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1',
          [BATCH],
        );
        if (rows.length === 0) continue;
        for (const row of rows) {
          channel.publish(exchange, row.routing_key, Buffer.from(row.payload), {
            persistent: true,
            messageId: row.event_id,
            contentType: 'application/json',
          });
        }
        await channel.waitForConfirms();
        await client.query('UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
        // A full batch: more may be waiting.
        if (rows.length === BATCH) pending = true;
      } catch (error) {
        process.stderr.write(`relay: ${String(error)}; retrying\n`);
        if (!stopping) await sleep();
        pending = true;
      }
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      await client.end();
    },
  };
}
