import { orderFlow } from './support/orders';
import { Platform, startPlatform } from './support/platform';
import { queryIn } from './support/postgres';
import { ServiceProcess } from './support/service-process';
import { waitFor } from './support/wait-for';
import { api } from './support/auth';

const SERVICES = ['todo-service', 'notification-service', 'order-service', 'inventory-service'] as const;

/** Sends `count` orders of one unit of `sku`, `concurrency` at a time, spread over the order-service instances given. */
async function placeConcurrently(targets: Parameters<typeof api>[0][], sku: string, count: number, concurrency: number): Promise<number[]> {
  const ids: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const n = next++;
        const { body } = await api(targets[n % targets.length])
          .post('/orders')
          .send({ items: [{ sku, quantity: 1 }] })
          .expect(201);
        ids.push(body.id);
      }
    }),
  );
  return ids;
}

async function outcomes(platform: Platform, ids: number[]): Promise<Record<string, number>> {
  return waitFor(
    `all ${ids.length} orders to end`,
    async () => {
      const rows = await queryIn<{ status: string; reason: string | null; n: number }>(
        platform.schemas.order,
        `SELECT status, reason, count(*)::int AS n FROM orders WHERE id = ANY($1) GROUP BY status, reason`,
        [ids],
      );
      const counts = Object.fromEntries(rows.map((r) => [`${r.status}${r.reason ? `:${r.reason}` : ''}`, r.n]));
      return !counts.pending && rows.reduce((sum, r) => sum + r.n, 0) === ids.length && counts;
    },
    { timeoutMs: 90_000, intervalMs: 200 },
  );
}

describe('orders under concurrency and crashes', () => {
  let platform: Platform;
  let flow: ReturnType<typeof orderFlow>;

  beforeAll(async () => {
    platform = await startPlatform('ordcc', { services: [...SERVICES] });
    flow = orderFlow(platform);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('sells exactly the stock: 200 concurrent orders of 1 for 100 in stock confirm 100, cancel 100, and never go below zero', async () => {
    await flow.stock('HOT-1', 100);
    const ids = await placeConcurrently([platform.order.getHttpServer()], 'HOT-1', 200, 40);
    expect(await outcomes(platform, ids)).toEqual({ confirmed: 100, 'cancelled:out_of_stock': 100 });
    expect(await flow.stockOf('HOT-1')).toMatchObject({ available: 0, reserved: 100 });
    const reservations = await queryIn<{ status: string; n: number }>(
      platform.schemas.inventory,
      `SELECT status, count(*)::int AS n FROM reservations WHERE order_id = ANY($1) GROUP BY status ORDER BY status`,
      [ids],
    );
    expect(reservations).toEqual([
      { status: 'refused', n: 100 },
      { status: 'reserved', n: 100 },
    ]);
  });

  it('sells exactly the stock with two instances of order-service and of inventory-service', async () => {
    const extraOrder = await platform.spawn('order-service');
    const extraInventory = await platform.spawn('inventory-service');
    try {
      await flow.stock('HOT-2', 100);
      const ids = await placeConcurrently([platform.order.getHttpServer(), `http://127.0.0.1:${extraOrder.port}`], 'HOT-2', 200, 40);
      expect(await outcomes(platform, ids)).toEqual({ confirmed: 100, 'cancelled:out_of_stock': 100 });
      expect(await flow.stockOf('HOT-2')).toMatchObject({ available: 0, reserved: 100 });
      // Both instances of each did part of the work.
      const byOrderInstance = extraOrder.logs.filter((l) => l.msg === 'Saga step').length;
      const byInventoryInstance = extraInventory.logs.filter((l) => l.msg === 'Event consumed').length;
      expect(byOrderInstance).toBeGreaterThan(0);
      expect(byInventoryInstance).toBeGreaterThan(0);
    } finally {
      extraOrder.kill('SIGTERM');
      extraInventory.kill('SIGTERM');
      await Promise.all([extraOrder.exited, extraInventory.exited]);
    }
  });

  describe('order-service killed mid-saga (SIGKILL) and restarted: each saga completes exactly once', () => {
    let orders: ServiceProcess | undefined;
    const start = async () => (orders = await platform.spawn('order-service'));

    beforeAll(async () => {
      await flow.stock('CRASH-1', 10);
      await platform.stopService('order-service');
    });

    afterAll(async () => {
      orders?.kill('SIGKILL');
      await orders?.exited;
      await platform.startService('order-service');
    });

    const once = async (orderId: number) => {
      expect(await flow.eventTypes(orderId)).toEqual(['order.created', 'order.confirmed']);
      const outcomesRecorded = await queryIn(platform.schemas.order, `SELECT 1 FROM saga_steps WHERE order_id = $1 AND kind = 'outcome'`, [
        orderId,
      ]);
      expect(outcomesRecorded).toHaveLength(1);
      const [{ status }] = await queryIn<{ status: string }>(
        platform.schemas.inventory,
        `SELECT status FROM reservations WHERE order_id = $1`,
        [orderId],
      );
      expect(status).toBe('reserved');
    };

    /**
     * Places an order on the killable instance, waits until its saga has asked inventory —
     * the saga started and its command left the outbox for the broker — and SIGKILLs it.
     */
    const placeThenKill = async (): Promise<number> => {
      const { body } = await api(`http://127.0.0.1:${orders!.port}`)
        .post('/orders')
        .send({ items: [{ sku: 'CRASH-1', quantity: 1 }] })
        .expect(201);
      await waitFor('the saga to ask inventory', async () => {
        const [{ started, unsent }] = await queryIn<{ started: boolean; unsent: number }>(
          platform.schemas.order,
          `SELECT EXISTS (SELECT 1 FROM order_sagas WHERE order_id = $1) AS started,
                  (SELECT count(*)::int FROM outbox WHERE sent_at IS NULL) AS unsent`,
          [body.id],
        );
        return started && unsent === 0;
      });
      orders!.kill('SIGKILL');
      await orders!.exited;
      return body.id as number;
    };

    const confirmedOnce = async (orderId: number) => {
      await waitFor('the order to be confirmed', async () => (await flow.eventTypes(orderId)).includes('order.confirmed'), {
        timeoutMs: 30_000,
      });
      await once(orderId);
    };

    it('between order.created and inventory’s reply', async () => {
      await platform.stopService('inventory-service');
      await start();
      const orderId = await placeThenKill();
      // Back first, with the saga still waiting; then inventory answers the command it sent before the crash.
      await start();
      await platform.startService('inventory-service');
      await confirmedOnce(orderId);
    });

    it('between inventory’s reply and order.confirmed', async () => {
      await platform.stopService('inventory-service');
      const orderId = await placeThenKill();
      // Inventory reserves and replies while order-service is down: the reply waits in its queue.
      await platform.startService('inventory-service');
      await waitFor('inventory to reserve', async () => (await flow.reservations())[orderId] === 'reserved');
      expect(await flow.eventTypes(orderId)).toEqual(['order.created']);
      await start();
      await confirmedOnce(orderId);
    });
  });
});
