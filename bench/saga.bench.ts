/**
 * The saga's cost of decoupling, as ratios against the same order flow done synchronously
 * (bench/hand-written/orders-sync.ts: reserve + confirm in one transaction in one process),
 * measured in the same run, under the same load generator:
 *
 *   - sagas completed per second at saturation: N orders from 32 closed-loop clients, timed
 *     from the first send until the last order is confirmed — for the platform, until its
 *     `order.confirmed` is applied to order-service's view (the inbox row of that event in
 *     order-service's schema, committed with the view); for the baseline, until the last
 *     response, which is the confirmation;
 *   - p50 and p99 from `POST /orders` to the confirmation being visible, orders sent open
 *     loop at a steady 100/s: from each order's *scheduled* send time (queueing anywhere is
 *     in the figure) to the same "visible" instant.
 *
 * The platform runs order-service and inventory-service as real processes (compiled, with
 * their defaults but for the test signing key and rate limits raised out of the load's reach,
 * see support/auth.ts); an order is one line of a SKU stocked for every order of the run, so
 * every saga is order.created → inventory.reserve → inventory.reserved → order.confirmed: two
 * services, four messages through two outboxes and two inboxes. Every POST /orders carries
 * the demo user's bearer token, which order-service verifies (HS256): that cost is in the
 * platform's figures; the synchronous baseline has no authentication.
 *
 *   npm run bench                   (all cases; BENCH_ONLY=saga for this one)
 *   npm run bench:saga              (this file alone)
 */
import http from 'node:http';
import { Client } from 'pg';
import { ServiceEnv } from '@todo/config';
import { freePort } from '../test/support/service-process';
import { testSchema } from '../test/support/postgres';
import { waitFor } from '../test/support/wait-for';
import { bearer } from './support/auth';
import { BenchCase, BenchRow, BenchSettings } from './support/bench-case';
import { startHandWritten } from './support/hand-written-stack';
import { median, runBench } from './support/harness';
import { buildServices } from './support/service-runner';
import { dropSchemasAt, openStack } from './support/stack';

const GROUP = 'saga: POST /orders → confirmed';
const CLIENTS = 32;
const RATE = 100;
const SKU = 'BENCH-1';
const ORDER = JSON.stringify({ items: [{ sku: SKU, quantity: 1 }] });

interface Sizes {
  /** Orders per saturation run. */
  saturation: number;
  /** Seconds of orders at RATE per latency run. */
  seconds: number;
}

/** What each system under test offers the load generator. */
interface OrderSystem {
  port: number;
  /** Sent with every POST /orders: the platform's bearer token, nothing for the baseline. */
  headers: Record<string, string>;
  /** Epoch ms at which each order (by id) became visible as confirmed; waits until all are. */
  confirmedAt(ids: number[], responses: Map<number, number>): Promise<Map<number, number>>;
}

interface RunFigures {
  perSecond: number;
  p50: number;
  p99: number;
}

function requestJson(
  agent: http.Agent,
  port: number,
  method: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: { id?: number } | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Places one order; returns its id and the epoch ms its answer arrived. */
async function place(agent: http.Agent, system: OrderSystem): Promise<{ id: number; answeredAt: number }> {
  const { status, json } = await requestJson(agent, system.port, 'POST', '/orders', ORDER, system.headers);
  if (status !== 201) throw new Error(`POST /orders answered ${status}: ${JSON.stringify(json)}`);
  return { id: json!.id!, answeredAt: Date.now() };
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function saturation(system: OrderSystem, agent: http.Agent, orders: number): Promise<number> {
  const startedAt = Date.now();
  const answered = new Map<number, number>();
  let issued = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (issued < orders) {
        issued += 1;
        const { id, answeredAt } = await place(agent, system);
        answered.set(id, answeredAt);
      }
    }),
  );
  const confirmed = await system.confirmedAt([...answered.keys()], answered);
  const last = Math.max(...confirmed.values());
  return orders / ((last - startedAt) / 1000);
}

async function atFixedRate(system: OrderSystem, agent: http.Agent, seconds: number): Promise<number[]> {
  const count = RATE * seconds;
  const startedAt = Date.now() + 20;
  const scheduled = new Map<number, number>();
  const answered = new Map<number, number>();
  const sends: Promise<void>[] = [];
  // A failed send is kept and thrown once all are sent: the schedule does not wait for answers,
  // so no send may be a rejection nobody handles yet.
  const failures: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const due = startedAt + (i * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sends.push(
      place(agent, system).then(
        ({ id, answeredAt }) => {
          scheduled.set(id, due);
          answered.set(id, answeredAt);
        },
        (error: unknown) => void failures.push(error),
      ),
    );
  }
  await Promise.all(sends);
  if (failures.length > 0) throw failures[0];
  const confirmed = await system.confirmedAt([...scheduled.keys()], answered);
  return [...scheduled].map(([id, due]) => confirmed.get(id)! - due);
}

/**
 * Each phase on connections of its own: between phases the sockets idle while the sagas
 * finish, longer than the server keeps an idle connection (Node's 5 s), and a request sent on
 * a socket the server is closing ends in ECONNRESET.
 */
async function withAgent<T>(work: (agent: http.Agent) => Promise<T>): Promise<T> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  try {
    return await work(agent);
  } finally {
    agent.destroy();
  }
}

async function measure(system: OrderSystem, settings: BenchSettings, sizes: Sizes): Promise<RunFigures[]> {
  // Warm-up: JIT, pools, the broker's channels.
  await withAgent((agent) => saturation(system, agent, Math.min(200, sizes.saturation)));
  const runs: RunFigures[] = [];
  for (let run = 0; run < settings.runs; run++) {
    const perSecond = await withAgent((agent) => saturation(system, agent, sizes.saturation));
    const latencies = await withAgent((agent) => atFixedRate(system, agent, sizes.seconds));
    runs.push({ perSecond, p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
  }
  return runs;
}

async function platformRuns(settings: BenchSettings, sizes: Sizes, totalOrders: number): Promise<RunFigures[]> {
  const build = await buildServices();
  const stack = await openStack(settings, build, 'bench_saga');
  const db = new Client({ connectionString: settings.databaseUrl });
  try {
    await db.connect();
    const [orders, inventory] = await stack.start('order-service', 'inventory-service');
    const agent = new http.Agent({ keepAlive: true });
    // Setting stock is an operator's: the admin role.
    const stocked = await requestJson(
      agent,
      inventory.port,
      'PUT',
      `/inventory/${SKU}`,
      JSON.stringify({ available: totalOrders }),
      bearer(stack.tokens.admin),
    );
    agent.destroy();
    if (stocked.status !== 200) throw new Error(`PUT /inventory answered ${stocked.status}: ${JSON.stringify(stocked.json)}`);
    await waitFor(
      'order-service to know the SKU',
      async () => (await db.query(`SELECT 1 FROM "${stack.schemas.order}".known_skus WHERE sku = $1`, [SKU])).rowCount === 1,
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    let confirmedSoFar = 0;
    const system: OrderSystem = {
      port: orders.port,
      // The demo user's orders (order-service takes the owner from the token; it needs no user registered).
      headers: bearer(stack.tokens.demo),
      async confirmedAt(ids) {
        // Polled by a count, which costs PostgreSQL little while the sagas run; the times are read
        // once all are in. (Every order of the run is confirmed: the SKU is stocked for all of them.)
        confirmedSoFar += ids.length;
        await waitFor(
          `${ids.length} orders to be confirmed`,
          async () => {
            if (!orders.isAlive() || !inventory.isAlive())
              throw new Error(`a service died: ${orders.stderrTail()}${inventory.stderrTail()}`);
            const { rows } = await db.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM "${stack.schemas.order}".inbox WHERE event_type = 'order.confirmed'`,
            );
            return rows[0].n >= confirmedSoFar;
          },
          { timeoutMs: 180_000, intervalMs: 50 },
        );
        const { rows } = await db.query<{ aggregate_id: string; at: string }>(
          `SELECT aggregate_id, (extract(epoch FROM processed_at) * 1000)::float8 AS at
             FROM "${stack.schemas.order}".inbox WHERE event_type = 'order.confirmed' AND aggregate_id = ANY($1)`,
          [ids.map((id) => `order-${id}`)],
        );
        if (rows.length !== ids.length) throw new Error(`${rows.length} of ${ids.length} orders confirmed`);
        return new Map(rows.map((r) => [Number(r.aggregate_id.slice('order-'.length)), Number(r.at)]));
      },
    };
    return await measure(system, settings, sizes);
  } finally {
    await db.end().catch(() => undefined);
    await stack.dispose();
    await build.dispose();
  }
}

async function synchronousRuns(settings: BenchSettings, sizes: Sizes, totalOrders: number): Promise<RunFigures[]> {
  const schema = testSchema('bench_saga_sync');
  const port = await freePort();
  const child = await startHandWritten('orders-sync.ts', [], {
    DATABASE_URL: settings.databaseUrl,
    DB_SCHEMA: schema,
    DB_POOL_SIZE: String(new ServiceEnv().DB_POOL_SIZE),
    PORT: String(port),
  });
  try {
    const agent = new http.Agent({ keepAlive: true });
    const stocked = await requestJson(agent, port, 'PUT', `/inventory/${SKU}`, JSON.stringify({ available: totalOrders }));
    agent.destroy();
    if (stocked.status !== 200) throw new Error(`PUT /inventory answered ${stocked.status}: ${JSON.stringify(stocked.json)}`);
    // The answer is the confirmation: visible when it arrives.
    const system: OrderSystem = { port, headers: {}, confirmedAt: async (_ids, responses) => responses };
    return await measure(system, settings, sizes);
  } finally {
    await child.stop();
    await dropSchemasAt(settings.databaseUrl, [schema]);
  }
}

async function sagaCase(settings: BenchSettings): Promise<BenchRow[]> {
  const sizes: Sizes = settings.smoke ? { saturation: 40, seconds: 1 } : { saturation: 1_500, seconds: 15 };
  const totalOrders = (Math.min(200, sizes.saturation) + settings.runs * (sizes.saturation + RATE * sizes.seconds)) * 2;
  const ours = await platformRuns(settings, sizes, totalOrders);
  const sync = await synchronousRuns(settings, sizes, totalOrders);
  const pick = (runs: RunFigures[], key: keyof RunFigures) => runs.map((r) => Number(r[key].toFixed(1)));
  const row = (name: string, unit: string, key: keyof RunFigures, note: string): BenchRow => ({
    group: GROUP,
    name,
    unit,
    value: median(pick(ours, key)),
    samples: pick(ours, key),
    baseline: { name: 'synchronous, one transaction', value: median(pick(sync, key)), samples: pick(sync, key) },
    note,
  });
  return [
    row(
      'sagas completed/s at saturation',
      'orders/s',
      'perSecond',
      `${sizes.saturation} orders, ${CLIENTS} closed-loop clients; until the last order.confirmed is in order-service's view; ` +
        'ours verifies a bearer token on each POST /orders, the baseline has no authentication',
    ),
    row(`p50 to confirmed visible at ${RATE}/s`, 'ms', 'p50', `open loop, ${RATE * sizes.seconds} orders, from the scheduled send`),
    row(`p99 to confirmed visible at ${RATE}/s`, 'ms', 'p99', `open loop, ${RATE * sizes.seconds} orders, from the scheduled send`),
  ];
}

export const sagaCases: BenchCase[] = [{ id: 'saga', run: sagaCase }];

if (require.main === module) void runBench(sagaCases, 'saga');
