/**
 * The hand-written baseline of the platform's event path, the yardstick of case 5: raw
 * `pg` and `amqplib`, no Nest and no platform code, in the same three processes the
 * platform runs:
 *
 *   todo          POST /todos → todo + outbox row in one transaction (http-append.ts); the
 *                 outbox relay (outbox-relay.ts); its own views consumer (consumer.ts)
 *   notification  consumer: inbox row + notifications row per todo.created
 *   analytics     consumer: inbox row + todo_facts row per todo.created
 *
 * Started by support/hand-written-stack.ts with its settings in the environment (queue
 * names and routing keys are the platform's, handed over by the stack); tells its parent
 * over IPC when it is ready, and stops cleanly on SIGTERM.
 *
 *   node -r ./scripts/register-ts.js bench/hand-written/main.ts todo|notification|analytics
 */
import amqplib from 'amqplib';
import { Pool } from 'pg';
import { ConsumerOptions, startConsumer } from './consumer';
import { startHttp } from './http-append';
import { startRelay } from './outbox-relay';

export type HandWrittenRole = 'todo' | 'notification' | 'analytics';

const effects: Record<HandWrittenRole, ConsumerOptions['apply']> = {
  todo: async (tx, e) => {
    await tx.query('INSERT INTO todo_views (todo_id, user_id, title) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      e.todo_id,
      e.user_id,
      e.title,
    ]);
  },
  notification: async (tx, e) => {
    await tx.query(`INSERT INTO notifications (event_id, todo_id, user_id, kind) VALUES ($1, $2, $3, 'todo-created')`, [
      e.event_id,
      e.todo_id,
      e.user_id,
    ]);
  },
  analytics: async (tx, e) => {
    await tx.query('INSERT INTO todo_facts (todo_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      e.todo_id,
      e.user_id,
      e.occurred_at,
    ]);
  },
};

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(role: HandWrittenRole): Promise<void> {
  const databaseUrl = setting('DATABASE_URL');
  const schema = setting('DB_SCHEMA');
  const exchange = setting('EXCHANGE');
  const pool = new Pool({ connectionString: databaseUrl, max: Number(setting('DB_POOL_SIZE')), options: `-c search_path="${schema}"` });
  const connection = await amqplib.connect(setting('AMQP_URL'), { noDelay: true });
  const consumer = await startConsumer(connection, pool, {
    exchange,
    queue: setting('QUEUE'),
    bindings: setting('BINDINGS').split(','),
    prefetch: Number(setting('PREFETCH')),
    apply: effects[role],
  });
  const stops: (() => Promise<unknown>)[] = [() => consumer.stop()];
  if (role === 'todo') {
    const server = await startHttp(pool, Number(setting('PORT')));
    const relay = await startRelay(databaseUrl, schema, await connection.createConfirmChannel(), exchange);
    stops.unshift(
      () => new Promise((resolve) => server.close(resolve)),
      () => relay.stop(),
    );
  }
  process.once('SIGTERM', () => {
    void (async () => {
      for (const stop of stops) await stop();
      await connection.close();
      await pool.end();
      process.exit(0);
    })();
  });
  process.send?.('ready');
}

const role = process.argv[2] as HandWrittenRole;
if (!(role in effects)) {
  process.stderr.write(`usage: main.ts todo|notification|analytics (got ${role})\n`);
  process.exit(2);
}
main(role).catch((error: unknown) => {
  process.stderr.write(`${role}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
