import { Platform } from './platform';
import { queryIn } from './postgres';
import { waitFor } from './wait-for';
import { ADMIN_TOKEN, api } from './auth';

/** What an order load stocked and placed, for its reconciliation. */
export interface OrderLoad {
  stocked: Record<string, number>;
  placed: number[];
  statuses: Record<number, number>;
}

export interface OrderReconciliation {
  orders: number;
  confirmed: number;
  cancelled: Record<string, number>;
  outcomeMails: number;
}

/**
 * Stocks a SKU there is plenty of and one that runs out (`<prefix>-PLENTY`, `<prefix>-SCARCE`),
 * and waits until order-service knows both; orders placed against them end both ways.
 */
export async function stockForLoad(platform: Platform, orders: number, prefix = 'LOAD'): Promise<Record<string, number>> {
  const stocked = { [`${prefix}-PLENTY`]: orders * 10, [`${prefix}-SCARCE`]: Math.ceil(orders / 2) };
  for (const [sku, available] of Object.entries(stocked)) {
    await api(platform.inventory.getHttpServer(), ADMIN_TOKEN).put(`/inventory/${sku}`).send({ available }).expect(200);
  }
  await waitFor(
    'order-service to know the stocked SKUs',
    async () =>
      (await queryIn(platform.schemas.order, `SELECT sku FROM known_skus WHERE sku = ANY($1)`, [Object.keys(stocked)])).length ===
      Object.keys(stocked).length,
  );
  return stocked;
}

/**
 * Places `orders` orders of one to two lines, `concurrency` at a time, as clients would:
 * a 503 (a dependency restarting) is retried, anything else is recorded.
 */
export async function placeOrders(
  platform: Platform,
  stocked: Record<string, number>,
  { orders, concurrency = 4 }: { orders: number; concurrency?: number },
): Promise<OrderLoad> {
  const load: OrderLoad = { stocked, placed: [], statuses: {} };
  const [plenty, scarce] = Object.keys(stocked);
  let issued = 0;
  const worker = async () => {
    while (issued < orders) {
      const n = issued++;
      const items = [{ sku: plenty, quantity: 1 + (n % 3) }];
      // Every other order also wants 1 or 2 of the scarce SKU: together 1.5× what is stocked.
      if (n % 2 === 0) items.push({ sku: scarce, quantity: 1 + ((n / 2) % 2) });
      for (let attempt = 1; ; attempt++) {
        const res = await api(platform.order.getHttpServer()).post('/orders').send({ items });
        if (res.status === 503 && attempt < 50) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        load.statuses[res.status] = (load.statuses[res.status] ?? 0) + 1;
        if (res.status === 201) load.placed.push(res.body.id);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return load;
}

/**
 * Waits for every saga to end, then checks the order flow end to end: every order
 * confirmed or cancelled (none pending), each confirmed order's lines reserved and
 * nothing else, stock conserved (available + reserved = stocked), one outcome mail per
 * order (the SMTP side is checked by `reconcile`), and analytics counting the same outcomes.
 */
export async function reconcileOrders(platform: Platform, load: OrderLoad, timeoutMs: number): Promise<OrderReconciliation> {
  const { order, inventory, notification } = platform.schemas;
  const scalar = async (schema: string, sql: string, params: unknown[] = []) =>
    Number((await queryIn<{ n: string }>(schema, sql, params))[0].n);

  await waitFor(
    'every saga to end',
    async () =>
      (await scalar(order, `SELECT count(*) AS n FROM order_sagas WHERE state = 'reserving'`)) === 0 &&
      (await scalar(order, `SELECT count(*) AS n FROM orders WHERE status <> 'pending'`)) === load.placed.length,
    { timeoutMs },
  );
  await waitFor(
    'both outboxes to empty',
    async () =>
      (await scalar(order, `SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`)) === 0 &&
      (await scalar(inventory, `SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`)) === 0,
    { timeoutMs },
  );

  const orders = await queryIn<{ id: number; status: string; reason: string | null; lines: { sku: string; quantity: number }[] }>(
    order,
    `SELECT id, status, reason, lines FROM orders WHERE id = ANY($1)`,
    [load.placed],
  );
  if (orders.length !== load.placed.length) throw new Error(`${load.placed.length} orders placed, ${orders.length} in the view`);
  const sagas = await queryIn<{ order_id: number; state: string }>(order, `SELECT order_id, state FROM order_sagas`);
  const sagaOf = new Map(sagas.map((s) => [s.order_id, s.state]));
  const reservations = await queryIn<{ order_id: number; status: string }>(inventory, `SELECT order_id, status FROM reservations`);
  const reservationOf = new Map(reservations.map((r) => [r.order_id, r.status]));
  const problems: string[] = [];
  const reservedBySku: Record<string, number> = {};
  const cancelled: Record<string, number> = {};
  for (const o of orders) {
    if (sagaOf.get(o.id) !== o.status) problems.push(`order ${o.id} is ${o.status} but its saga is ${sagaOf.get(o.id)}`);
    if (o.status === 'confirmed') {
      if (reservationOf.get(o.id) !== 'reserved') problems.push(`confirmed order ${o.id} has reservation ${reservationOf.get(o.id)}`);
      for (const line of o.lines) reservedBySku[line.sku] = (reservedBySku[line.sku] ?? 0) + line.quantity;
    } else if (o.status === 'cancelled') {
      cancelled[o.reason!] = (cancelled[o.reason!] ?? 0) + 1;
      if (reservationOf.get(o.id) === 'reserved') problems.push(`cancelled order ${o.id} still holds its reservation`);
    } else {
      problems.push(`order ${o.id} is ${o.status}`);
    }
  }
  for (const [sku, stocked] of Object.entries(load.stocked)) {
    const [row] = await queryIn<{ available: number; reserved: number }>(
      inventory,
      `SELECT available, reserved FROM stock WHERE sku = $1`,
      [sku],
    );
    const expected = reservedBySku[sku] ?? 0;
    if (row.reserved !== expected) problems.push(`${sku}: ${row.reserved} reserved, confirmed orders hold ${expected}`);
    if (row.available + row.reserved !== stocked) problems.push(`${sku}: ${row.available} + ${row.reserved} is not the ${stocked} stocked`);
  }
  if (problems.length > 0) throw new Error(`the order flow does not reconcile:\n  ${problems.slice(0, 20).join('\n  ')}`);

  const confirmed = orders.filter((o) => o.status === 'confirmed').length;
  await waitFor(
    'one outcome mail per order',
    async () =>
      (await scalar(
        notification,
        `SELECT count(*) AS n FROM notifications WHERE status = 'sent' AND event_type IN ('order.confirmed', 'order.cancelled')`,
      )) === orders.length,
    { timeoutMs },
  );
  const outcomeMails = await scalar(
    notification,
    `SELECT count(*) AS n FROM notifications WHERE event_type IN ('order.confirmed', 'order.cancelled')`,
  );
  if (outcomeMails !== orders.length) throw new Error(`${outcomeMails} outcome mails for ${orders.length} orders`);

  const summary = await waitFor('analytics to count every outcome', async () => {
    const { body } = await api(platform.analytics.getHttpServer(), ADMIN_TOKEN).get('/analytics/summary').expect(200);
    return body.orders.placed === orders.length && body.orders.pending === 0 && body.orders;
  });
  const cancelledTotal = orders.length - confirmed;
  if (summary.confirmed !== confirmed || summary.cancelled !== cancelledTotal)
    throw new Error(`analytics counts ${JSON.stringify(summary)}, the store ${confirmed} confirmed and ${cancelledTotal} cancelled`);
  return { orders: orders.length, confirmed, cancelled, outcomeMails };
}

/** Several loads on one platform as one: what a reconciliation of all of them checks. */
export function combinedLoad(loads: readonly OrderLoad[]): OrderLoad {
  const combined: OrderLoad = { stocked: {}, placed: [], statuses: {} };
  for (const load of loads) {
    Object.assign(combined.stocked, load.stocked);
    combined.placed.push(...load.placed);
    for (const [status, n] of Object.entries(load.statuses))
      combined.statuses[Number(status)] = (combined.statuses[Number(status)] ?? 0) + n;
  }
  return combined;
}
