import { randomUUID } from 'node:crypto';
import amqplib from 'amqplib';
import { Headers, ORDER_QUEUE, TODO_EVENTS_EXCHANGE } from '@todo/messaging';
import { orderFlow } from './support/orders';
import { DEMO_EMAIL, Platform, startPlatform } from './support/platform';
import { queryIn } from './support/postgres';
import { waitFor } from './support/wait-for';
import { ADMIN_TOKEN, api } from './support/auth';

/** The saga's deadline in this test: short, so the timeout case does not wait 30 s. */
const TIMEOUT_MS = 2_500;

describe('the order saga: order-service and inventory-service on the platform', () => {
  let platform: Platform;
  let flow: ReturnType<typeof orderFlow>;

  beforeAll(async () => {
    platform = await startPlatform('saga', {
      services: ['todo-service', 'notification-service', 'analytics-service', 'order-service', 'inventory-service'],
      env: { 'order-service': { ORDER_RESERVATION_TIMEOUT_MS: String(TIMEOUT_MS) } },
    });
    flow = orderFlow(platform);
    await flow.stock('KB-1', 10);
    await flow.stock('MS-2', 1);
    // The demo user must be known to notification-service before it can mail about an order.
    await waitFor(
      'the demo user to reach notification-service',
      async () => (await queryIn(platform.schemas.notification, 'SELECT 1 FROM recipients')).length > 0,
    );
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('confirms an order once inventory reserved all of it, with the saga history under one correlation id, and mails the buyer', async () => {
    const orderId = await flow.place([{ sku: 'KB-1', quantity: 2 }], 'order-ok-1');
    const order = await flow.outcome(orderId);

    expect(order).toMatchObject({ id: orderId, status: 'confirmed', reason: null, lines: [{ sku: 'KB-1', quantity: 2 }], version: 2 });
    expect(order.saga.state).toBe('confirmed');
    expect(order.saga.history.map((s) => `${s.kind} ${s.name}`)).toEqual([
      'started saga started',
      'command inventory.reserve',
      'reply inventory.reserved',
      'outcome order.confirmed',
    ]);
    expect(new Set(order.saga.history.map((s) => s.correlation_id))).toEqual(new Set(['order-ok-1']));
    expect(await flow.stockOf('KB-1')).toEqual({ sku: 'KB-1', available: 8, reserved: 2 });
    expect(await flow.eventTypes(orderId)).toEqual(['order.created', 'order.confirmed']);

    // The reply from inventory-service carries the order's correlation id too.
    const replies = await queryIn<{ correlation_id: string }>(
      platform.schemas.inventory,
      `SELECT correlation_id FROM outbox WHERE aggregate_id = $1`,
      [`reservation-${orderId}`],
    );
    expect(replies.map((r) => r.correlation_id)).toEqual(['order-ok-1']);

    const mail = await waitFor('the confirmation mail', () =>
      platform.smtp.mails.find((m) => m.parsed.subject === `Order ${orderId} confirmed`),
    );
    expect(mail.envelopeTo).toEqual([DEMO_EMAIL]);
    expect(mail.parsed.headers.get('x-correlation-id')).toBe('order-ok-1');
    const summary = await waitFor('analytics to count it', async () => {
      const { body } = await api(platform.analytics.getHttpServer(), ADMIN_TOKEN).get('/analytics/summary').expect(200);
      return body.orders.confirmed >= 1 && body;
    });
    expect(summary.orders).toMatchObject({ placed: expect.any(Number), confirmed: 1 });
  });

  it('cancels an order inventory cannot fill entirely, naming the short lines, and reserves nothing of it', async () => {
    const before = await flow.stockOf('KB-1');
    const orderId = await flow.place([
      { sku: 'KB-1', quantity: 1 },
      { sku: 'MS-2', quantity: 3 },
    ]);
    const order = await flow.outcome(orderId);

    expect(order).toMatchObject({
      status: 'cancelled',
      reason: 'out_of_stock',
      lines_short: [{ sku: 'MS-2', requested: 3, available: 1 }],
    });
    expect(await flow.stockOf('KB-1')).toEqual(before);
    expect(await flow.stockOf('MS-2')).toMatchObject({ available: 1, reserved: 0 });
    const mail = await waitFor('the cancellation mail', () =>
      platform.smtp.mails.find((m) => m.parsed.subject === `Order ${orderId} cancelled`),
    );
    expect(mail.parsed.text).toContain('not everything was in stock');
    expect(mail.parsed.text).toContain('MS-2 (1 of 3)');
  });

  it('lets the user cancel while inventory has not answered, and gives back what inventory reserves afterwards', async () => {
    const before = await flow.stockOf('KB-1');
    await platform.stopService('inventory-service');
    try {
      const orderId = await flow.place([{ sku: 'KB-1', quantity: 3 }]);
      await waitFor(
        'the saga to be waiting for inventory',
        async () => (await flow.orders().get(`/orders/${orderId}`)).body.saga?.state === 'reserving',
      );
      const stale = await flow.orders().put(`/orders/${orderId}/cancel`).set('If-Match', '"7"').expect(412);
      expect(stale.body.code).toBe('ORDER.VERSION_MISMATCH');
      const cancelled = await flow.orders().put(`/orders/${orderId}/cancel`).set('If-Match', '"1"').expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', reason: 'user_cancelled', version: 2, events: ['order.cancelled'] });
      expect(cancelled.headers.etag).toBe('"2"');
      const again = await flow.orders().put(`/orders/${orderId}/cancel`).expect(409);
      expect(again.body.code).toBe('ORDER.NOT_PENDING');

      await platform.startService('inventory-service');
      // Inventory reserves (the command was queued first), then takes the release: the stock is back.
      await waitFor('the reservation to be released', async () => (await flow.reservations())[orderId] === 'released', {
        timeoutMs: 20_000,
      });
      await waitFor('the stock to be whole again', async () => JSON.stringify(await flow.stockOf('KB-1')) === JSON.stringify(before));
      const order = await flow.outcome(orderId);
      expect(order.status).toBe('cancelled');
      expect(await flow.eventTypes(orderId)).toEqual(['order.created', 'order.cancelled']);
      expect(order.saga.history.map((s) => s.kind)).toEqual(expect.arrayContaining(['compensation']));
    } finally {
      if (!platform.isRunning('inventory-service')) await platform.startService('inventory-service');
    }
  });

  it('times out when inventory does not answer, then releases the reservation inventory makes late — never a second outcome', async () => {
    const before = await flow.stockOf('KB-1');
    await platform.stopService('inventory-service');
    let orderId = 0;
    try {
      orderId = await flow.place([{ sku: 'KB-1', quantity: 1 }], 'order-timeout-1');
      const order = await flow.outcome(orderId, TIMEOUT_MS + 10_000);
      expect(order).toMatchObject({ status: 'cancelled', reason: 'timeout' });
      expect(order.saga.history.map((s) => `${s.kind} ${s.name}`)).toEqual(
        expect.arrayContaining(['timeout no answer from inventory in time', 'compensation inventory.release']),
      );
      expect(order.saga.history.find((s) => s.kind === 'timeout')?.correlation_id).toBe('order-timeout-1');
    } finally {
      await platform.startService('inventory-service');
    }
    // Inventory comes back: it reserves (late), releases, and the late reservation is answered by another release.
    await waitFor('the late reply to be compensated', async () => {
      const { body } = await flow.orders().get(`/orders/${orderId}`);
      return body.saga.history.some((s: { name: string }) => s.name === 'inventory.reserved (late)');
    });
    await waitFor('the stock to be whole again', async () => JSON.stringify(await flow.stockOf('KB-1')) === JSON.stringify(before), {
      timeoutMs: 20_000,
    });
    expect((await flow.reservations())[orderId]).toBe('released');
    expect(await flow.eventTypes(orderId)).toEqual(['order.created', 'order.cancelled']);
  });

  it('dead-letters a reply for a saga that does not exist, with the reason', async () => {
    const connection = await amqplib.connect(platform.vhost.url);
    const channel = await connection.createConfirmChannel();
    const eventId = randomUUID();
    const stray = {
      event_id: eventId,
      event_type: 'inventory.reserved',
      event_version: 1,
      aggregate_id: 'reservation-99999',
      aggregate_type: 'reservation',
      aggregate_version: 1,
      occurred_at: new Date().toISOString(),
      correlation_id: 'stray',
      causation_id: 'stray',
      order_id: 99999,
      lines: [{ sku: 'KB-1', quantity: 1 }],
    };
    channel.publish(TODO_EVENTS_EXCHANGE, 'inventory.reserved', Buffer.from(JSON.stringify(stray)), {
      persistent: true,
      messageId: eventId,
    });
    await channel.waitForConfirms();
    const dead = await waitFor(
      'the stray reply in the DLQ',
      async () => (await channel.get(ORDER_QUEUE.deadLetterQueue, { noAck: true })) || undefined,
    );
    expect(dead.properties.headers).toMatchObject({ [Headers.DeadLetterCode]: 'SAGA.UNKNOWN' });
    expect(String(dead.properties.headers?.[Headers.DeadLetterReason])).toContain('no saga for order 99999');
    await connection.close();
  });

  it.each([
    ['an unknown SKU', { items: [{ sku: 'NEVER-STOCKED', quantity: 1 }] }, 422, 'ORDER.UNKNOWN_SKU'],
    ['a quantity of 0', { items: [{ sku: 'KB-1', quantity: 0 }] }, 400, 'VALIDATION_FAILED'],
    ['a negative quantity', { items: [{ sku: 'KB-1', quantity: -2 }] }, 400, 'VALIDATION_FAILED'],
    ['a huge quantity', { items: [{ sku: 'KB-1', quantity: 1e12 }] }, 400, 'VALIDATION_FAILED'],
    ['a fractional quantity', { items: [{ sku: 'KB-1', quantity: 1.5 }] }, 400, 'VALIDATION_FAILED'],
    ['no items', { items: [] }, 400, 'VALIDATION_FAILED'],
    ['no items field', {}, 400, 'VALIDATION_FAILED'],
    [
      'a SKU on two lines',
      {
        items: [
          { sku: 'KB-1', quantity: 1 },
          { sku: 'KB-1', quantity: 2 },
        ],
      },
      422,
      'ORDER.DUPLICATE_SKU',
    ],
    ['a malformed SKU', { items: [{ sku: 'a b', quantity: 1 }] }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s with a 4xx and its code, storing nothing', async (_case, body, status, code) => {
    const [{ n: before }] = await queryIn<{ n: number }>(platform.schemas.order, `SELECT count(*)::int AS n FROM events`);
    const answer = await flow.orders().post('/orders').send(body).expect(status);
    expect(answer.body.code).toBe(code);
    const [{ n: after }] = await queryIn<{ n: number }>(platform.schemas.order, `SELECT count(*)::int AS n FROM events`);
    expect(after).toBe(before);
  });

  it('answers 404 for an order that does not exist, and lists orders newest first', async () => {
    expect((await flow.orders().get('/orders/424242').expect(404)).body.code).toBe('ORDER.NOT_FOUND');
    expect((await flow.orders().put('/orders/424242/cancel').expect(404)).body.code).toBe('ORDER.NOT_FOUND');
    const { body } = await flow.orders().get('/orders?limit=2').expect(200);
    expect(body).toHaveLength(2);
    expect(body[0].id).toBeGreaterThan(body[1].id);
    expect((await flow.inventory().get('/inventory/NOPE').expect(404)).body.code).toBe('INVENTORY.UNKNOWN_SKU');
  });
});
