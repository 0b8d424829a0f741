/**
 * How long "eventual" is: runs the three services, sends commands at a steady rate (as
 * the demo user, with its bearer token), and reads from each consumer's inbox how long
 * after an event was committed the consumer had applied it (inbox.processed_at − event
 * time), plus command → mail sent.
 *
 *   npm run bench:lag            (RATE=100 SECONDS=10 to change the load)
 */
import { TODO_PRIORITIES } from '@todo/events';
import { api } from '../test/support/auth';
import { startPlatform } from '../test/support/platform';
import { queryIn } from '../test/support/postgres';
import { reconcile } from '../test/support/reconcile';
import { Cli, readCommandLine, refuse } from '../scripts/cli-usage';

const RATE = Number(process.env.RATE ?? 50);
const SECONDS = Number(process.env.SECONDS ?? 10);

const BENCH_LAG: Cli = {
  usage: ['npm run bench:lag', 'RATE=100 SECONDS=10 npm run bench:lag'],
  summary:
    'How long "eventual" is: runs the todo flow\'s three services against this machine\'s RabbitMQ and PostgreSQL ' +
    '(which must be running), sends commands at a steady rate as the demo user, and prints per consumer how long ' +
    'after an event was committed it had applied it (p50, p95, p99, max), and command → mail sent.',
  environment: {
    RATE: 'commands per second (default 50)',
    SECONDS: 'seconds of load (default 10)',
    TEST_AMQP_BASE_URL: 'RabbitMQ, as an administrator (default amqp://guest:guest@127.0.0.1:5672)',
    TEST_DATABASE_URL: 'PostgreSQL, as an administrator (default postgres://postgres@127.0.0.1:5432/postgres)',
  },
};

async function main(): Promise<void> {
  if (readCommandLine(BENCH_LAG).positionals.length > 0) refuse(BENCH_LAG, 'it takes no arguments: RATE and SECONDS size it');
  const platform = await startPlatform('lag');
  try {
    const server = platform.todo.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const created: number[] = [];
    const inFlight: Promise<unknown>[] = [];
    const total = RATE * SECONDS;
    const startedAt = Date.now();
    for (let n = 0; n < total; n++) {
      const due = startedAt + (n * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(
        n % 3 === 2 && created.length > 0
          ? api(url)
              .put(`/todos/${created[n % created.length]}/priority`)
              .send({ priority: TODO_PRIORITIES[n % 3] })
          : api(url)
              .post('/todos')
              .send({ title: `lag ${n}` })
              .then((res) => created.push(res.body.id)),
      );
    }
    await Promise.all(inFlight);
    await reconcile(platform);

    const lag = async (schema: string, consumer: string) =>
      queryIn<{ p50: number; p95: number; p99: number; max: number; n: number }>(
        schema,
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max, count(*)::int AS n
           FROM (SELECT extract(epoch FROM i.processed_at - e.timestamp) * 1000 AS ms
                   FROM inbox i JOIN "${platform.schemas.todo}".events e ON e.event_id = i.event_id
                  WHERE i.consumer = $1) lags`,
        [consumer],
      ).then(([row]) => row);
    const mail = await queryIn<{ p50: number; p95: number; p99: number; max: number; n: number }>(
      platform.schemas.notification,
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max, count(*)::int AS n
         FROM (SELECT extract(epoch FROM n.sent_at - e.timestamp) * 1000 AS ms
                 FROM notifications n JOIN "${platform.schemas.todo}".events e ON e.event_id = n.event_id) lags`,
    );
    const rows = [
      ['todo views (todo-service)', await lag(platform.schemas.todo, 'todo-service')],
      ['analytics', await lag(platform.schemas.analytics, 'analytics-service')],
      ['notifications (recorded)', await lag(platform.schemas.notification, 'notification-service')],
      ['mail handed to SMTP', mail[0]],
    ] as const;
    process.stdout.write(
      `\nEvent committed → applied, at ${RATE} commands/s for ${SECONDS} s (services, load and servers on one machine)\n`,
    );
    process.stdout.write('consumer                      events     p50 ms    p95 ms    p99 ms    max ms\n');
    for (const [name, r] of rows) {
      process.stdout.write(`${name.padEnd(28)} ${String(r.n).padStart(7)} ${fmt(r.p50)} ${fmt(r.p95)} ${fmt(r.p99)} ${fmt(r.max)}\n`);
    }
  } finally {
    await platform.stop();
  }
}

const fmt = (ms: number) => Number(ms).toFixed(1).padStart(9);

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
