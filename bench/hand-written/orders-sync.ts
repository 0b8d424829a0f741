/**
 * The synchronous yardstick of the saga benchmark: the order flow without decoupling. One
 * process, node:http and raw `pg`; POST /orders reserves every line and records the order's
 * outcome in one transaction, and answers with it — confirmed, or cancelled when a line is
 * short (its reservations rolled back to a savepoint). No broker, no outbox, no saga: what
 * order-service and inventory-service would be as one service sharing one database.
 *
 * Started by bench/saga.bench.ts with DATABASE_URL, DB_SCHEMA, DB_POOL_SIZE and PORT; creates
 * its two tables, tells its parent over IPC when it is ready, and stops on SIGTERM.
 *
 *   node -r ./scripts/register-ts.js bench/hand-written/orders-sync.ts
 */
import http from 'node:http';
import { Pool } from 'pg';
import { answer, readBody } from './json-http';

interface Line {
  sku: string;
  quantity: number;
}

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function parseLines(text: string): Line[] | undefined {
  try {
    const body = JSON.parse(text) as { items?: unknown };
    if (!Array.isArray(body.items) || body.items.length === 0) return undefined;
    const lines = body.items as Line[];
    const valid = lines.every((l) => typeof l?.sku === 'string' && Number.isInteger(l.quantity) && l.quantity > 0);
    return valid ? lines : undefined;
  } catch {
    return undefined;
  }
}

async function placeOrder(pool: Pool, lines: Line[]): Promise<{ id: number; status: 'confirmed' | 'cancelled' }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SAVEPOINT reserve');
    let short = false;
    // In SKU order, so two orders sharing SKUs lock them in the same order.
    for (const line of [...lines].sort((a, b) => a.sku.localeCompare(b.sku))) {
      const { rowCount } = await client.query(
        'UPDATE stock SET available = available - $2, reserved = reserved + $2 WHERE sku = $1 AND available >= $2',
        [line.sku, line.quantity],
      );
      if (rowCount !== 1) {
        short = true;
        break;
      }
    }
    if (short) await client.query('ROLLBACK TO SAVEPOINT reserve');
    const status = short ? 'cancelled' : 'confirmed';
    const { rows } = await client.query<{ id: string }>('INSERT INTO orders (status, lines) VALUES ($1, $2) RETURNING id', [
      status,
      JSON.stringify(lines),
    ]);
    await client.query('COMMIT');
    return { id: Number(rows[0].id), status };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function main(): Promise<void> {
  const schema = setting('DB_SCHEMA');
  const pool = new Pool({
    connectionString: setting('DATABASE_URL'),
    max: Number(setting('DB_POOL_SIZE')),
    options: `-c search_path="${schema}"`,
  });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await pool.query(`CREATE TABLE IF NOT EXISTS stock (
      sku TEXT PRIMARY KEY, available INTEGER NOT NULL CHECK (available >= 0), reserved INTEGER NOT NULL DEFAULT 0)`);
  await pool.query(`CREATE TABLE IF NOT EXISTS orders (
      id BIGSERIAL PRIMARY KEY, status TEXT NOT NULL, lines JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`);

  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const sku = req.url?.match(/^\/inventory\/([^/?]+)$/)?.[1];
        if (req.method === 'PUT' && sku) {
          const { available } = JSON.parse(body) as { available: number };
          await pool.query(
            'INSERT INTO stock (sku, available) VALUES ($1, $2) ON CONFLICT (sku) DO UPDATE SET available = excluded.available',
            [decodeURIComponent(sku), available],
          );
          return answer(res, 200, { sku, available });
        }
        if (req.method !== 'POST' || req.url !== '/orders') return answer(res, 404, { message: 'not found' });
        const lines = parseLines(body);
        if (!lines) return answer(res, 400, { message: 'items: a non-empty list of {sku, quantity ≥ 1}' });
        return answer(res, 201, await placeOrder(pool, lines));
      } catch (error) {
        answer(res, 503, { message: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(Number(setting('PORT')), '127.0.0.1', resolve));
  process.once('SIGTERM', () => {
    server.close(() => void pool.end().then(() => process.exit(0)));
    server.closeAllConnections();
  });
  process.send?.('ready');
}

main().catch((error: unknown) => {
  process.stderr.write(`orders-sync: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
