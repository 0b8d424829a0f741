import { OrderLoad, OrderReconciliation, reconcileOrders } from './order-load';
import { Platform } from './platform';
import { TEST_DATABASE_URL } from './postgres';
import { queueDepths } from './rabbitmq';
import { waitFor } from './wait-for';
import { Client } from 'pg';
import { ADMIN_TOKEN, api } from './auth';

export interface Reconciliation {
  events: number;
  todosCreated: number;
  todosCompleted: number;
  priorityChanges: number;
  analyticsApplied: number;
  notificationsApplied: number;
  mailsSent: number;
  duplicatesSuppressed: number;
  deadLetters: Record<string, number>;
  /** The order flow's reconciliation, when the case placed orders. */
  orders?: OrderReconciliation;
}

async function scalar(sql: string): Promise<number> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return Number((await client.query(sql)).rows[0].n);
  } finally {
    await client.end();
  }
}

/**
 * Waits for the platform to settle, then checks the event store against every read
 * model and against the mails received: every event applied once by each consumer
 * that binds it (no gap, no duplicate), every mail sent exactly once, analytics equal
 * to the store, read-model priorities equal to the latest event; and, given an order
 * load, the order flow's reconciliation (`reconcileOrders`).
 */
export async function reconcile(
  platform: Platform,
  {
    deadLetters = {},
    timeoutMs = 60_000,
    analyticsUrl,
    orderLoad,
  }: { deadLetters?: Record<string, number>; timeoutMs?: number; analyticsUrl?: string; orderLoad?: OrderLoad } = {},
): Promise<Reconciliation> {
  const { todo, analytics, notification } = platform.schemas;
  const q = (name: string) => `"${name}"`;
  await waitFor(
    'the outbox to empty',
    async () => (await scalar(`SELECT count(*) AS n FROM ${q(todo)}.outbox WHERE sent_at IS NULL`)) === 0,
    { timeoutMs },
  );

  const orders = orderLoad && (await reconcileOrders(platform, orderLoad, timeoutMs));
  const outcomeMails = orders?.outcomeMails ?? 0;

  const count = (where: string) => scalar(`SELECT count(*) AS n FROM ${q(todo)}.events WHERE ${where}`);
  const todoEvents = await count(`event_type LIKE 'todo.%'`);
  const created = await count(`event_type = 'todo.created'`);
  const completed = await count(`event_type = 'todo.completed'`);
  const priorityChanges = await count(`event_type = 'todo.priority_changed'`);
  const forNotification = await count(`event_type IN ('todo.created', 'todo.completed', 'user.registered')`);

  await waitFor(
    'the todo views to apply every todo event',
    async () => (await scalar(`SELECT count(*) AS n FROM ${q(todo)}.inbox`)) === todoEvents,
    { timeoutMs },
  );
  await waitFor(
    'analytics to apply every todo event',
    async () => (await scalar(`SELECT count(*) AS n FROM ${q(analytics)}.inbox WHERE event_type LIKE 'todo.%'`)) === todoEvents,
    { timeoutMs },
  );
  await waitFor(
    'notifications to apply every event it binds',
    async () =>
      (await scalar(
        `SELECT count(*) AS n FROM ${q(notification)}.inbox WHERE event_type IN ('todo.created', 'todo.completed', 'user.registered')`,
      )) === forNotification,
    { timeoutMs },
  );
  await waitFor(
    'every mail to be sent',
    async () =>
      (await scalar(`SELECT count(*) AS n FROM ${q(notification)}.notifications WHERE status = 'sent' AND event_type LIKE 'todo.%'`)) ===
      created + completed,
    { timeoutMs },
  );
  await waitFor('the SMTP server to hold every mail', () => platform.smtp.mails.length >= created + completed + outcomeMails, {
    timeoutMs,
  });

  // No gap: each stored event is in each inbox that should hold it. No duplicate: the inbox key, and the counts above.
  const missing = (schema: string, types: string) =>
    scalar(`SELECT count(*) AS n FROM ${q(todo)}.events e WHERE e.event_type IN (${types})
            AND NOT EXISTS (SELECT 1 FROM ${q(schema)}.inbox i WHERE i.event_id = e.event_id)`);
  expectZero(
    'events missing in the todo views',
    await missing(todo, `'todo.created', 'todo.completed', 'todo.priority_changed', 'todo.edited', 'todo.reopened', 'todo.deleted'`),
  );
  expectZero(
    'events missing in analytics',
    await missing(analytics, `'todo.created', 'todo.completed', 'todo.priority_changed', 'todo.edited', 'todo.reopened', 'todo.deleted'`),
  );
  expectZero('events missing in notifications', await missing(notification, `'todo.created', 'todo.completed', 'user.registered'`));

  const mailIds = platform.smtp.mails.map((m) => m.parsed.messageId);
  if (new Set(mailIds).size !== mailIds.length)
    throw new Error(`a mail was delivered twice: ${mailIds.length} deliveries, ${new Set(mailIds).size} distinct`);
  if (mailIds.length !== created + completed + outcomeMails)
    throw new Error(`expected ${created + completed + outcomeMails} mails, SMTP received ${mailIds.length}`);

  const completedNow = await scalar(`SELECT count(*) AS n FROM ${q(todo)}.todos WHERE status = 'completed'`);
  const summary = (
    await api(analyticsUrl ?? platform.analytics.getHttpServer(), ADMIN_TOKEN)
      .get('/analytics/summary')
      .expect(200)
  ).body;
  if (
    summary.todos_created !== created ||
    summary.todos_completed !== completedNow ||
    summary.completions !== completed ||
    summary.priority_changes !== priorityChanges
  ) {
    throw new Error(
      `analytics ${JSON.stringify(summary)} differs from the store (${created} created, ${completedNow} completed now, ${completed} completions, ${priorityChanges} priority changes)`,
    );
  }
  const streams = await scalar(`SELECT count(DISTINCT aggregate_id) AS n FROM ${q(todo)}.events WHERE aggregate_type = 'todo'`);
  const views = await scalar(`SELECT count(*) AS n FROM ${q(todo)}.todos`);
  if (streams !== views) throw new Error(`${streams} todo streams but ${views} todo views`);
  expectZero(
    'todos whose view differs from their event stream',
    await scalar(`SELECT count(*) AS n FROM ${q(todo)}.todos t
                   WHERE t.version <> (SELECT max(version) FROM ${q(todo)}.events e WHERE e.aggregate_id = 'todo-' || t.id)`),
  );
  expectZero(
    'todos whose analytics priority is not their latest',
    await scalar(
      `SELECT count(*) AS n FROM ${q(todo)}.todos t JOIN ${q(analytics)}.todo_facts f ON f.todo_id = t.id WHERE t.status <> 'deleted' AND f.priority IS DISTINCT FROM t.priority`,
    ),
  );

  // Every effect is in; a duplicate copy (republished after a crash) may still be waiting in
  // a retry queue, and finds its id in the inbox when it comes back: wait for it.
  const unexpected = async () =>
    Object.entries(await queueDepths(platform.vhost.vhost, platform.vhost.node))
      .filter(([queue, n]) => n !== (deadLetters[queue] ?? 0))
      .map(([queue, n]) => `queue ${queue} holds ${n} messages, expected ${deadLetters[queue] ?? 0}`);
  await waitFor('every queue to hold only the expected dead letters', async () => (await unexpected()).length === 0, {
    timeoutMs: 15_000,
  }).catch(async () => {
    throw new Error((await unexpected()).join('; '));
  });

  const depths = await queueDepths(platform.vhost.vhost, platform.vhost.node);
  const duplicates = [platform.logs.analytics, platform.logs.notification, platform.logs.order, platform.logs.inventory]
    .flatMap((l) => l.find('Event consumed'))
    .filter((l) => l.duplicate === true).length;
  return {
    events: await count('true'),
    todosCreated: created,
    todosCompleted: completed,
    priorityChanges,
    analyticsApplied: todoEvents,
    notificationsApplied: forNotification,
    mailsSent: mailIds.length,
    duplicatesSuppressed: duplicates,
    deadLetters: Object.fromEntries(Object.entries(depths).filter(([name]) => name.endsWith('.dlq'))),
    orders,
  };
}

function expectZero(what: string, n: number): void {
  if (n !== 0) throw new Error(`${n} ${what}`);
}
