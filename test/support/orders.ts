import { Platform } from './platform';
import { queryIn } from './postgres';
import { waitFor } from './wait-for';
import { ADMIN_TOKEN, api } from './auth';

/** An order as GET /orders/:id answers it, with its saga (read loosely: tests assert on it). */
export interface OrderDetails {
  id: number;
  status: string;
  reason: string | null;
  version: number;
  saga: { state: string; history: { kind: string; name: string; correlation_id: string; trace_id: string | null }[] };
  [field: string]: unknown;
}

/** Helpers for tests of the order flow: stock a SKU, place an order, wait for its outcome. */
export function orderFlow(platform: Platform) {
  const orders = () => api(platform.order.getHttpServer());
  const inventory = () => api(platform.inventory.getHttpServer(), ADMIN_TOKEN);

  return {
    orders,
    inventory,

    /** Stocks `sku` and waits until order-service has learnt it exists (inventory.stock_set). */
    async stock(sku: string, available: number): Promise<void> {
      await inventory().put(`/inventory/${sku}`).send({ available }).expect(200);
      await waitFor(
        `order-service to know ${sku}`,
        async () => (await queryIn(platform.schemas.order, `SELECT 1 FROM known_skus WHERE sku = $1`, [sku])).length === 1,
      );
    },

    async place(items: { sku: string; quantity: number }[], requestId?: string): Promise<number> {
      const call = orders().post('/orders').send({ items });
      const { body } = await (requestId ? call.set('X-Request-Id', requestId) : call).expect(201);
      return body.id as number;
    },

    /** Waits until the order's view has an outcome, and returns the order with its saga. */
    async outcome(orderId: number, timeoutMs = 20_000): Promise<OrderDetails> {
      return waitFor(
        `order ${orderId} to be confirmed or cancelled`,
        async () => {
          const { body, status } = await orders().get(`/orders/${orderId}`);
          return status === 200 && body.status !== 'pending' && body.saga?.state !== 'reserving' && (body as OrderDetails);
        },
        { timeoutMs },
      );
    },

    async stockOf(sku: string): Promise<{ available: number; reserved: number }> {
      return (await inventory().get(`/inventory/${sku}`).expect(200)).body;
    },

    /** The order's events in the store, by type. */
    async eventTypes(orderId: number): Promise<string[]> {
      const rows = await queryIn<{ event_type: string }>(
        platform.schemas.order,
        `SELECT event_type FROM events WHERE aggregate_id = $1 ORDER BY version`,
        [`order-${orderId}`],
      );
      return rows.map((r) => r.event_type);
    },

    /** Every reservation inventory holds: status per order. */
    async reservations(): Promise<Record<number, string>> {
      const rows = await queryIn<{ order_id: number; status: string }>(
        platform.schemas.inventory,
        `SELECT order_id, status FROM reservations`,
      );
      return Object.fromEntries(rows.map((r) => [r.order_id, r.status]));
    },
  };
}
