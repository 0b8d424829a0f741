import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import amqplib from 'amqplib';
import { OutboxEntry, toOutgoingMessage } from '@todo/event-store';
import {
  DeadLetterQueue,
  Headers,
  INVENTORY_QUEUE,
  NOTIFICATION_QUEUE,
  ORDER_QUEUE,
  PLATFORM_TOPOLOGY,
  TODO_COMMANDS_EXCHANGE,
  TODO_EVENTS_EXCHANGE,
} from '@todo/messaging';
import { FlakyProcessing } from './support/flaky-processing';
import { LoadResult, percentile, runCommands } from './support/load';
import { OrderLoad, placeOrders, stockForLoad } from './support/order-load';
import { Platform, PlatformOptions, startPlatform } from './support/platform';
import { queryIn, restartPostgres } from './support/postgres';
import { queueDepths, rabbitmqctl } from './support/rabbitmq';
import { Reconciliation, reconcile } from './support/reconcile';
import { waitFor } from './support/wait-for';

/**
 * Faults injected against the real RabbitMQ and PostgreSQL, each case ending with a
 * reconciliation of the event store against every read model and the mails sent.
 * The default run uses a quick size; `npm run test:chaos` runs the soak size.
 */
const SOAK = process.env.FAULT_SOAK === '1';
const COMMANDS = SOAK ? 2_000 : 240;
const CONNECTION_CLOSES = SOAK ? 5 : 2;
/** Orders placed alongside the todo commands in the cases that run the order flow too. */
const ORDERS = SOAK ? 400 : 60;
const ALL_SERVICES: PlatformOptions['services'] = [
  'todo-service',
  'notification-service',
  'analytics-service',
  'order-service',
  'inventory-service',
];
jest.setTimeout(SOAK ? 900_000 : 180_000);

interface CaseReport {
  case: string;
  commands: number;
  orders: number;
  seconds: number;
  reconciliation: Reconciliation;
  notes: Record<string, unknown>;
}
const reports: CaseReport[] = [];

describe(`fault injection (${SOAK ? 'soak' : 'quick'}: ${COMMANDS} commands per case)`, () => {
  let platform: Platform | undefined;

  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
  });

  afterAll(() => {
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `fault-injection-${SOAK ? 'soak' : 'quick'}.json`), JSON.stringify(reports, null, 2));
    const lines = reports.map(
      (r) =>
        `  ${r.case.padEnd(34)} ${String(r.commands).padStart(5)} cmds ${String(r.orders).padStart(4)} orders ${r.seconds.toFixed(1).padStart(6)} s  ` +
        (r.reconciliation.orders
          ? `orders confirmed ${r.reconciliation.orders.confirmed}, cancelled ${JSON.stringify(r.reconciliation.orders.cancelled)}, `
          : '') +
        `events ${r.reconciliation.events}, analytics ${r.reconciliation.analyticsApplied}, notifications ${r.reconciliation.notificationsApplied}, ` +
        `mails ${r.reconciliation.mailsSent}, duplicates absorbed ${r.reconciliation.duplicatesSuppressed}, dead letters ${JSON.stringify(r.reconciliation.deadLetters)}`,
    );
    process.stdout.write(`\nFault injection, reconciled:\n${lines.join('\n')}\n`);
  });

  /**
   * Boots a platform, runs the scenario and reconciles. With `orders`, the platform has the
   * order flow too: orders are placed while the scenario runs (so its faults hit the saga as
   * well) and the reconciliation covers them.
   */
  async function runCase(
    name: string,
    { orders = false, ...options }: PlatformOptions & { orders?: boolean },
    scenario: (
      p: Platform,
    ) => Promise<{ load: LoadResult; notes?: Record<string, unknown>; deadLetters?: Record<string, number>; analyticsUrl?: string }>,
  ): Promise<CaseReport> {
    const startedAt = Date.now();
    platform = await startPlatform(name.replace(/\W+/g, '').slice(0, 12).toLowerCase(), {
      ...options,
      services: orders ? ALL_SERVICES : options.services,
    });
    let placing: Promise<OrderLoad> | undefined;
    if (orders) placing = placeOrders(platform, await stockForLoad(platform, ORDERS), { orders: ORDERS });
    const { load, notes = {}, deadLetters, analyticsUrl } = await scenario(platform);
    const orderLoad = await placing;
    expect(Object.keys(load.statuses).filter((s) => !['200', '201', '409'].includes(s))).toEqual([]);
    if (orderLoad) expect(Object.keys(orderLoad.statuses)).toEqual(['201']);
    const reconciliation = await reconcile(platform, { deadLetters, analyticsUrl, orderLoad, timeoutMs: SOAK ? 300_000 : 90_000 });
    const report = {
      case: name,
      commands: load.commands,
      orders: orderLoad?.placed.length ?? 0,
      seconds: (Date.now() - startedAt) / 1000,
      reconciliation,
      notes: { statuses: load.statuses, ...(orderLoad && { orderStatuses: orderLoad.statuses }), ...notes },
    };
    reports.push(report);
    return report;
  }

  it('a. survives broker connections being force-closed during the load', async () => {
    const report = await runCase('a. connections force-closed', { orders: true }, async (p) => {
      const closes: Promise<string>[] = [];
      const thresholds = Array.from({ length: CONNECTION_CLOSES }, (_, i) => Math.floor(((i + 1) * COMMANDS) / (CONNECTION_CLOSES + 1)));
      const load = await runCommands(p.todo.getHttpServer(), {
        commands: COMMANDS,
        onProgress: (done) => {
          if (done === thresholds[closes.length]) closes.push(rabbitmqctl('close_all_connections', 'fault injection'));
        },
      });
      await Promise.all(closes);
      return { load, notes: { connectionCloses: closes.length } };
    });
    expect(report.notes.connectionCloses).toBe(CONNECTION_CLOSES);
    // The scarce SKU runs out under the load: both outcomes happen while connections drop.
    expect(report.reconciliation.orders).toMatchObject({ orders: ORDERS, cancelled: { out_of_stock: expect.any(Number) } });
    expect(report.reconciliation.orders!.confirmed).toBeGreaterThan(0);
  });

  it('b. loses nothing when a consumer process is SIGKILLed mid-stream and restarted', async () => {
    const report = await runCase('b. consumer SIGKILLed', { skip: ['analytics-service'] }, async (p) => {
      let analytics = await p.spawn('analytics-service');
      const applied = async () => (await queryIn<{ n: number }>(p.schemas.analytics, 'SELECT count(*)::int AS n FROM inbox'))[0].n;
      const loading = runCommands(p.todo.getHttpServer(), { commands: COMMANDS });
      await waitFor('analytics to be mid-stream', async () => (await applied()) >= COMMANDS / 5);
      analytics.kill('SIGKILL');
      const { signal } = await analytics.exited;
      const appliedAtKill = await applied();
      analytics = await p.spawn('analytics-service');
      const load = await loading;
      return { load, analyticsUrl: `http://127.0.0.1:${analytics.port}`, notes: { killedBy: signal, appliedAtKill } };
    });
    expect(report.notes.killedBy).toBe('SIGKILL');
  });

  it('c. applies once an event published twice and one redelivered after a nack', async () => {
    const report = await runCase('c. duplicates and nack redelivery', { orders: true }, async (p) => {
      // A rogue consumer on notification-service's queue nacks (requeue) what it gets, so the broker redelivers it.
      const rogue = await amqplib.connect(p.vhost.url);
      const channel = await rogue.createChannel();
      await channel.prefetch(5);
      let nacked = 0;
      const { consumerTag } = await channel.consume(NOTIFICATION_QUEUE.queue, (message) => {
        if (!message) return;
        nacked += 1;
        channel.nack(message, false, true);
      });
      const load = await runCommands(p.todo.getHttpServer(), { commands: COMMANDS });
      await waitFor('the rogue consumer to nack some messages', () => nacked >= 10);
      await channel.cancel(consumerTag);

      // Publish sent messages a second time, as a relay that lost a confirm would: todo events,
      // and the order flow's events, commands and replies. Each goes where the relay sends it.
      const sent: OutboxEntry[] = [];
      for (const [schema, n] of [
        [p.schemas.todo, 25],
        [p.schemas.order, 15],
        [p.schemas.inventory, 15],
      ] as const) {
        sent.push(
          ...(await queryIn<OutboxEntry>(
            schema,
            `SELECT id::text AS id, message_id, message_kind, message_type, aggregate_id, correlation_id, causation_id,
                    payload::text AS payload, trace_context, created_at
               FROM outbox WHERE sent_at IS NOT NULL ORDER BY random() LIMIT $1`,
            [n],
          )),
        );
      }
      const confirm = await rogue.createConfirmChannel();
      for (const entry of sent) {
        const message = toOutgoingMessage(entry, PLATFORM_TOPOLOGY, {});
        confirm.publish(message.exchange, message.routingKey, message.body, {
          persistent: true,
          messageId: message.messageId,
          type: message.type,
          headers: message.headers,
        });
      }
      await confirm.waitForConfirms();
      await rogue.close();
      return { load, notes: { nackedRedeliveries: nacked, republished: sent.length } };
    });
    expect(report.reconciliation.duplicatesSuppressed).toBeGreaterThanOrEqual(Number(report.notes.republished));
  });

  it('d. takes every event into effect once when 5% of handler runs fail transiently', async () => {
    const flaky: FlakyProcessing[] = [];
    const report = await runCase(
      'd. 5% transient handler failures',
      { orders: true, wrapProcessing: (inbox) => flaky[flaky.push(new FlakyProcessing(inbox, 0.05)) - 1] },
      async (p) => ({ load: await runCommands(p.todo.getHttpServer(), { commands: COMMANDS }) }),
    );
    const injected = flaky.reduce((n, f) => n + f.injected, 0);
    report.notes.injectedFailures = injected;
    expect(injected).toBeGreaterThan(0);
    // Each injected failure either fails a delivery handled alone (a retry through the
    // broker) or rolls back the inbox batch it ran in (its deliveries then run alone).
    const logs = Object.values(platform!.logs);
    const injectedFailure = (reason: unknown) => String(reason).startsWith('injected transient failure');
    const retries = logs.flatMap((l) => l.find('Event handling failed; retry scheduled')).filter((l) => injectedFailure(l.err)).length;
    const rollbacks = logs
      .flatMap((l) => l.find('Inbox batch rolled back; running its deliveries one by one'))
      .filter((l) => injectedFailure(l.reason)).length;
    // Anything else that failed once (a deadlock between two batches, say) is in the report.
    report.notes.otherFailures = [
      ...new Set(
        [
          ...logs.flatMap((l) => l.find('Event handling failed; retry scheduled')).map((l) => l.err),
          ...logs.flatMap((l) => l.find('Inbox batch rolled back; running its deliveries one by one')).map((l) => l.reason),
        ]
          .filter((reason) => !injectedFailure(reason))
          .map(String),
      ),
    ];
    expect(retries + rollbacks).toBe(injected);
  });

  it('e. dead-letters poison messages with their reason and processes the rest; a redriven processed event has no second effect', async () => {
    const report = await runCase('e. poison messages', { orders: true }, async (p) => {
      const connection = await amqplib.connect(p.vhost.url);
      const channel = await connection.createConfirmChannel();
      const poison: [string, string][] = [];
      for (let i = 0; i < 5; i++) {
        poison.push(['todo.created', `{"not json ${i}`]);
        poison.push(['todo.completed', JSON.stringify({ event_id: 'not-a-uuid', event_type: 'todo.completed' })]);
        poison.push(['todo.archived', JSON.stringify({ ...validEnvelope(i), event_type: 'todo.archived' })]);
        poison.push([
          'user.registered',
          JSON.stringify({ ...validEnvelope(i), event_type: 'user.registered', user_id: 9, email: 'not-an-email', name: 'x' }),
        ]);
      }
      // The order flow's poison: commands inventory-service cannot read or must refuse, and
      // replies for an order order-service has no saga for.
      const poisonCommands: [string, string][] = [];
      const strayReplies: string[] = [];
      for (let i = 0; i < 5; i++) {
        poisonCommands.push(['inventory.reserve', `{"command_id": ${i}`]);
        poisonCommands.push([
          'inventory.reserve',
          JSON.stringify({ ...validCommand(i), order_id: 90_000 + i, lines: [{ sku: 'LOAD-PLENTY', quantity: 0 }] }),
        ]);
        strayReplies.push(JSON.stringify({ ...strayReservation(90_000 + i) }));
      }
      const loading = runCommands(p.todo.getHttpServer(), { commands: COMMANDS });
      poison.forEach(([routingKey, body], i) =>
        channel.publish(TODO_EVENTS_EXCHANGE, routingKey, Buffer.from(body), { persistent: true, messageId: `poison-${i}` }),
      );
      poisonCommands.forEach(([routingKey, body], i) =>
        channel.publish(TODO_COMMANDS_EXCHANGE, routingKey, Buffer.from(body), { persistent: true, messageId: `poison-command-${i}` }),
      );
      strayReplies.forEach((body) =>
        channel.publish(TODO_EVENTS_EXCHANGE, 'inventory.reserved', Buffer.from(body), {
          persistent: true,
          messageId: JSON.parse(body).event_id,
        }),
      );
      await channel.waitForConfirms();
      const load = await loading;

      // Every todo consumer binds todo.created and todo.completed; analytics and the todo views bind todo.archived
      // (todo.#), only notifications binds user.registered. The inventory commands reach inventory-service alone,
      // inventory's replies order-service alone.
      const expected = {
        'notification-service.dlq': 15,
        'analytics-service.dlq': 15,
        'todo-service.dlq': 15,
        'inventory-service.dlq': 10,
        'order-service.dlq': 5,
      };
      await waitFor('every poison message to be dead-lettered', async () => {
        const depths = await queueDepths(p.vhost.vhost);
        return Object.entries(expected).every(([queue, n]) => depths[queue] === n);
      });
      const dlq = new DeadLetterQueue(connection, NOTIFICATION_QUEUE);
      const codes = (await dlq.summary()).reasons.map((r) => r.code).sort();
      expect([...new Set(codes)]).toEqual(['INVALID_ENVELOPE', 'INVALID_PAYLOAD', 'MALFORMED_JSON']);
      const inventoryCodes = (await new DeadLetterQueue(connection, INVENTORY_QUEUE).summary()).reasons.map((r) => r.code);
      expect([...new Set(inventoryCodes)].sort()).toEqual(['INVALID_PAYLOAD', 'MALFORMED_JSON']);
      const orderCodes = (await new DeadLetterQueue(connection, ORDER_QUEUE).summary()).reasons.map((r) => r.code);
      expect([...new Set(orderCodes)]).toEqual(['SAGA.UNKNOWN']);

      // An already processed event lands in the DLQ (say, by an operator's mistake) and is redriven.
      const [processed] = await queryIn<{ payload: string; event_id: string }>(
        p.schemas.todo,
        `SELECT payload::text AS payload, message_id AS event_id FROM outbox WHERE message_type = 'todo.completed' AND sent_at IS NOT NULL LIMIT 1`,
      );
      await waitFor(
        'that event to be processed',
        async () => (await queryIn(p.schemas.notification, 'SELECT 1 FROM inbox WHERE event_id = $1', [processed.event_id])).length === 1,
      );
      channel.publish(NOTIFICATION_QUEUE.deadLetterExchange, '', Buffer.from(processed.payload), {
        persistent: true,
        messageId: processed.event_id,
        headers: { [Headers.DeadLetterCode]: 'Error', [Headers.DeadLetterReason]: 'operator test', [Headers.Attempt]: 4 },
      });
      await channel.waitForConfirms();
      expect(await dlq.redrive((l) => l.messageId === processed.event_id)).toBe(1);
      await waitFor('the redriven event to be recognised as a duplicate', () =>
        p.logs.notification.find('Event consumed').some((l) => l.event_id === processed.event_id && l.duplicate === true),
      );
      await connection.close();
      return { load, deadLetters: expected, notes: { poisonPublished: poison.length, redrivenProcessed: 1 } };
    });
    expect(report.reconciliation.deadLetters).toEqual({
      'notification-service.dlq': 15,
      'analytics-service.dlq': 15,
      'todo-service.dlq': 15,
      'inventory-service.dlq': 10,
      'order-service.dlq': 5,
    });
  });

  it('f. recovers when PostgreSQL restarts while the relay and the consumers are busy', async () => {
    const report = await runCase('f. PostgreSQL restarted', { orders: true }, async (p) => {
      let restarting: Promise<void> | undefined;
      const load = await runCommands(p.todo.getHttpServer(), {
        commands: COMMANDS,
        onProgress: (done) => {
          if (done === Math.floor(COMMANDS / 3)) restarting = restartPostgres();
        },
      });
      await restarting;
      return { load, notes: { retriedOn503: load.latencies.length - load.commands } };
    });
    expect(report.reconciliation.events).toBeGreaterThan(0);
  });

  it('g. keeps todo-service answering while notification-service is down; the backlog drains and every mail is sent once', async () => {
    const report = await runCase('g. notification-service down', {}, async (p) => {
      const server = p.todo.getHttpServer();
      const before = await runCommands(server, { commands: COMMANDS / 3 });
      await p.stopService('notification-service');
      const during = await runCommands(server, { commands: COMMANDS / 3 });
      const backlog = (await queueDepths(p.vhost.vhost))['notification-service'];
      await p.startService('notification-service');
      const after = await runCommands(server, { commands: COMMANDS / 3 });
      const load: LoadResult = {
        commands: before.commands + during.commands + after.commands,
        created: [...before.created, ...during.created, ...after.created],
        statuses: mergeCounts(before.statuses, during.statuses, after.statuses),
        latencies: [...before.latencies, ...during.latencies, ...after.latencies],
      };
      return {
        load,
        notes: {
          backlogWhileDown: backlog,
          p50MsBefore: round(percentile(before.latencies, 50)),
          p50MsWhileDown: round(percentile(during.latencies, 50)),
          p95MsBefore: round(percentile(before.latencies, 95)),
          p95MsWhileDown: round(percentile(during.latencies, 95)),
        },
      };
    });
    expect(report.notes.backlogWhileDown).toBeGreaterThan(0);
  });

  it('h. runs two instances of each consumer side by side with no double effect and read models that match the store', async () => {
    const report = await runCase('h. competing consumers (2 + 2)', {}, async (p) => {
      const second = [await p.spawn('analytics-service'), await p.spawn('notification-service')];
      const load = await runCommands(p.todo.getHttpServer(), { commands: COMMANDS, concurrency: 12 });
      return { load, notes: { extraInstances: second.length } };
    });
    expect(report.reconciliation.mailsSent).toBe(report.reconciliation.todosCreated + report.reconciliation.todosCompleted);
  });
});

function validEnvelope(i: number) {
  return {
    event_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    event_version: 1,
    aggregate_id: `todo-poison-${i}`,
    aggregate_type: 'todo',
    aggregate_version: 1,
    occurred_at: new Date().toISOString(),
    correlation_id: 'poison',
    causation_id: 'poison',
  };
}

function validCommand(i: number) {
  return {
    command_id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
    command_type: 'inventory.reserve',
    command_version: 1,
    target_id: `order-${90_000 + i}`,
    issued_at: new Date().toISOString(),
    correlation_id: 'poison',
    causation_id: 'poison',
  };
}

/** A well-formed inventory.reserved for an order no saga exists for. */
function strayReservation(orderId: number) {
  return {
    event_id: randomUUID(),
    event_type: 'inventory.reserved',
    event_version: 1,
    aggregate_id: `reservation-${orderId}`,
    aggregate_type: 'reservation',
    aggregate_version: 1,
    occurred_at: new Date().toISOString(),
    correlation_id: 'stray',
    causation_id: 'stray',
    order_id: orderId,
    lines: [{ sku: 'LOAD-PLENTY', quantity: 1 }],
  };
}

function mergeCounts(...counts: Record<number, number>[]): Record<number, number> {
  const merged: Record<number, number> = {};
  for (const c of counts) for (const [k, v] of Object.entries(c)) merged[Number(k)] = (merged[Number(k)] ?? 0) + v;
  return merged;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
