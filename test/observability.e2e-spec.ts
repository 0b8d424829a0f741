import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { Delivery, MessageProcessing } from '@todo/messaging';
import { Platform, startPlatform } from './support/platform';
import { queryIn } from './support/postgres';
import { promtoolCheckMetrics } from './support/promtool';
import { waitFor } from './support/wait-for';
import { ADMIN_TOKEN, api } from './support/auth';

/** Fails analytics' first two attempts at one chosen event, to see each attempt traced. */
class FailTwiceFor extends MessageProcessing {
  private failures = 0;
  constructor(
    private readonly inner: MessageProcessing,
    private readonly title: string,
  ) {
    super();
  }
  process(delivery: Delivery, handle: (scope: object) => Promise<void>) {
    const targeted = delivery.consumer === 'analytics-service' && delivery.message.title === this.title;
    if (targeted && this.failures < 2) {
      this.failures += 1;
      return Promise.reject(new Error(`planned failure ${this.failures}`));
    }
    return this.inner.process(delivery, handle);
  }
}

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

/** The order saga's deadline here: short, so the traced timeout does not wait 30 s. */
const ORDER_TIMEOUT_MS = 2_500;

describe('observability: one trace across services, metrics, correlation timeline', () => {
  const exporter = new InMemorySpanExporter();
  let platform: Platform;
  const spans = () => exporter.getFinishedSpans();

  beforeAll(async () => {
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    platform = await startPlatform('otel', {
      services: ['todo-service', 'notification-service', 'analytics-service', 'order-service', 'inventory-service'],
      wrapProcessing: (inbox) => new FailTwiceFor(inbox, 'retry me'),
      env: { 'order-service': { ORDER_RESERVATION_TIMEOUT_MS: String(ORDER_TIMEOUT_MS) } },
    });
  });

  afterAll(async () => {
    await platform?.stop();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('traces create + complete from the HTTP request through the outbox and the broker into all three services', async () => {
    const http = api(platform.todo.getHttpServer());
    const created = await http.post('/todos').set('X-Request-Id', 'trace-create').send({ title: 'traced' }).expect(201);
    await http.put(`/todos/${created.body.id}/complete`).set('X-Request-Id', 'trace-complete').expect(200);
    const stream = (await http.get(`/todos/${created.body.id}/events`).expect(200)).body as {
      event: { event_id: string; event_type: string };
    }[];

    for (const { event } of stream) {
      const consumers = ['todo-service', 'analytics-service', 'notification-service'];
      const processSpans = await waitFor(`process spans of ${event.event_type} in every consumer`, () => {
        const found = spans().filter((s) => s.name === `process ${event.event_type}` && s.attributes['todo.event_id'] === event.event_id);
        return consumers.every((c) => found.some((s) => s.attributes['messaging.consumer.group.name'] === c)) && found;
      });
      const publish = spans().find((s) => s.name === `publish ${event.event_type}` && s.attributes['todo.event_id'] === event.event_id)!;
      expect(publish).toBeDefined();
      expect(publish.attributes).toMatchObject({
        'messaging.system': 'rabbitmq',
        'messaging.destination.name': 'todo-events',
        'todo.service': 'todo-service',
      });
      const append = spans().find((s) => s.spanContext().spanId === parentOf(publish))!;
      expect(append.name).toBe('append todo');
      const command = spans().find((s) => s.spanContext().spanId === parentOf(append))!;
      expect(command.name).toBe(event.event_type === 'todo.created' ? 'command CreateTodoCommand' : 'command CompleteTodoCommand');
      const server = spans().find((s) => s.spanContext().spanId === parentOf(command))!;
      expect(server.attributes).toMatchObject({ 'http.request.method': event.event_type === 'todo.created' ? 'POST' : 'PUT' });
      expect(parentOf(server)).toBeUndefined();

      const traceId = server.spanContext().traceId;
      for (const span of [command, append, publish, ...processSpans]) expect(span.spanContext().traceId).toBe(traceId);
      for (const span of processSpans) {
        expect(parentOf(span)).toBe(publish.spanContext().spanId);
        expect(span.attributes).toMatchObject({
          'todo.event_type': event.event_type,
          'todo.correlation_id': server.attributes['todo.correlation_id'],
        });
      }
      // Settle spans are new, on the current conventions whatever OTEL_SEMCONV_STABILITY_OPT_IN says: each delivery's ack is its process span's child.
      const acks = await waitFor(`the acks of ${event.event_type}`, () => {
        const found = processSpans.map((p) => spans().find((s) => s.name.startsWith('ack ') && parentOf(s) === p.spanContext().spanId));
        return found.every(Boolean) && found;
      });
      acks.forEach((ack, i) => {
        const group = processSpans[i].attributes['messaging.consumer.group.name'];
        expect(ack!.name).toBe(`ack todo-events:${event.event_type}:${group}`);
        expect(ack!.attributes).toMatchObject({ 'messaging.operation.type': 'settle', 'messaging.system': 'rabbitmq' });
        expect(ack!.spanContext().traceId).toBe(traceId);
      });
      const consumed = platform.logs.notification.find('Event consumed').find((l) => l.event_id === event.event_id);
      expect(consumed).toMatchObject({ trace_id: traceId });
    }
  });

  it('shows each attempt of a retried message as its own span under the same publish', async () => {
    const { body } = await api(platform.todo.getHttpServer()).post('/todos').send({ title: 'retry me' }).expect(201);
    const [{ event }] = (await api(platform.todo.getHttpServer()).get(`/todos/${body.id}/events`).expect(200)).body;
    const attempts = await waitFor(
      'three attempts in analytics',
      () => {
        const found = spans().filter(
          (s) =>
            s.name === 'process todo.created' &&
            s.attributes['messaging.consumer.group.name'] === 'analytics-service' &&
            s.attributes['messaging.message.id'] === event.event_id,
        );
        return found.length === 3 && found;
      },
      { timeoutMs: 15_000 },
    );
    expect(attempts.map((s) => s.attributes['todo.attempt']).sort()).toEqual([1, 2, 3]);
    expect(new Set(attempts.map(parentOf)).size).toBe(1);
    const failed = attempts.filter((s) => s.events.some((e) => e.name === 'retry scheduled'));
    expect(failed.map((s) => s.attributes['todo.attempt']).sort()).toEqual([1, 2]);
    for (const attempt of failed) {
      const retry = spans().find((s) => s.name.startsWith('retry ') && parentOf(s) === attempt.spanContext().spanId);
      expect(retry?.name).toBe('retry todo-events:todo.created:analytics-service');
    }
  });

  it('exposes Prometheus metrics that moved, on every service', async () => {
    const scrape = async (app: Platform['todo']) => (await api(app.getHttpServer()).get('/metrics').expect(200)).text;
    const todo = await scrape(platform.todo);
    expect(todo).toMatch(/todo_events_published_total\{event_type="todo.created",service="todo-service"\} [1-9]/);
    expect(todo).toMatch(/http_requests_total\{method="POST",route="\/todos",status="201",service="todo-service"\} [1-9]/);
    expect(todo).toMatch(/todo_outbox_backlog_events\{service="todo-service"\} \d/);
    expect(todo).toMatch(/todo_outbox_oldest_entry_age_seconds\{service="todo-service"\} [\d.]/);
    expect(todo).toMatch(/http_request_duration_seconds_bucket/);

    const notification = await scrape(platform.notification);
    expect(notification).toMatch(
      /todo_events_consumed_total\{consumer="notification-service",event_type="todo.created",outcome="processed",service="notification-service"\} [1-9]/,
    );
    expect(notification).toMatch(
      /todo_event_handler_duration_seconds_bucket\{le="0.1",service="notification-service",consumer="notification-service",event_type="todo.created"\} [1-9]/,
    );
    expect(notification).toMatch(/todo_consumer_queue_depth_messages\{queue="notification-service",service="notification-service"\} \d/);

    // OpenTelemetry's messaging metrics, under their Prometheus names.
    expect(todo).toMatch(
      /messaging_client_sent_messages_total\{messaging_system_name="rabbitmq",messaging_operation_name="send",messaging_destination_name="todo-events:todo.created",server_address="127.0.0.1",server_port="5672",service="todo-service"\} [1-9]/,
    );
    expect(todo).toMatch(/messaging_client_operation_duration_seconds_count\{[^}]*messaging_operation_name="send"[^}]*\} [1-9]/);
    expect(notification).toMatch(
      /messaging_client_consumed_messages_total\{[^}]*messaging_destination_name="todo-events:todo.created:notification-service",messaging_consumer_group_name="notification-service"[^}]*\} [1-9]/,
    );
    expect(notification).toMatch(
      /messaging_process_duration_seconds_count\{[^}]*messaging_consumer_group_name="notification-service"[^}]*\} [1-9]/,
    );
    expect(notification).toMatch(/messaging_client_operation_duration_seconds_count\{[^}]*messaging_operation_name="ack"[^}]*\} [1-9]/);

    const analytics = await scrape(platform.analytics);
    expect(analytics).toMatch(
      /todo_events_retried_total\{consumer="analytics-service",event_type="todo.created",service="analytics-service"\} 2/,
    );
    expect(analytics).toMatch(/messaging_client_operation_duration_seconds_count\{[^}]*messaging_operation_name="retry"[^}]*\} 2/);
    expect(analytics).toMatch(/messaging_process_duration_seconds_count\{[^}]*error_type="Error"[^}]*\} 2/);
  });

  it("serves metrics that Prometheus' own checker accepts, on every service", async () => {
    for (const app of [platform.todo, platform.notification, platform.analytics, platform.order, platform.inventory]) {
      const scrape = (await api(app.getHttpServer()).get('/metrics').expect(200)).text;
      expect(await promtoolCheckMetrics(scrape)).toEqual({ code: 0, output: '' });
    }
  });

  it('answers /health/live and /health/ready (database, broker and topology) on every service', async () => {
    for (const app of [platform.todo, platform.notification, platform.analytics, platform.order, platform.inventory]) {
      await api(app.getHttpServer()).get('/health/live').expect(200);
      const ready = await api(app.getHttpServer()).get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, rabbitmq: { status: 'up' } } });
    }
  });

  it('returns the timeline of one business flow from GET /correlations/:id', async () => {
    const res = await api(platform.todo.getHttpServer()).get('/correlations/trace-complete').expect(200);
    expect(res.body.correlation_id).toBe('trace-complete');
    expect(res.body.events.map((e: { event: { event_type: string } }) => e.event.event_type)).toEqual(['todo.completed']);
    expect(res.body.events[0]).toMatchObject({ caused_by: 'trace-complete', caused_by_event: false });
    await api(platform.todo.getHttpServer()).get('/correlations/nothing-here').expect(404);
  });

  describe('the order saga', () => {
    const orders = () => api(platform.order.getHttpServer());
    const requestSpan = (requestId: string) =>
      spans().find((s) => s.attributes['http.request.method'] === 'POST' && s.attributes['todo.correlation_id'] === requestId);
    const outcome = (orderId: number) =>
      waitFor(
        `order ${orderId} to end`,
        async () => {
          const { body } = await orders().get(`/orders/${orderId}`).expect(200);
          return body.status !== 'pending' && body.saga.state !== 'reserving' && body;
        },
        { timeoutMs: ORDER_TIMEOUT_MS + 15_000 },
      );

    beforeAll(async () => {
      await api(platform.inventory.getHttpServer(), ADMIN_TOKEN).put('/inventory/TRACE-1').send({ available: 5 }).expect(200);
      await waitFor(
        'order-service to know TRACE-1',
        async () => (await queryIn(platform.schemas.order, `SELECT 1 FROM known_skus WHERE sku = 'TRACE-1'`)).length === 1,
      );
      // The outcome mail goes to the demo user, whom notification-service learns from user.registered.
      await waitFor(
        'the demo user to reach notification-service',
        async () => (await queryIn(platform.schemas.notification, 'SELECT 1 FROM recipients')).length > 0,
      );
    });

    it('is one trace and one correlation id from POST /orders through inventory-service back to order-service and into the mail', async () => {
      const { body } = await orders()
        .post('/orders')
        .set('X-Request-Id', 'trace-order')
        .send({ items: [{ sku: 'TRACE-1', quantity: 1 }] })
        .expect(201);
      const order = await outcome(body.id);
      expect(order.status).toBe('confirmed');
      const traceId = requestSpan('trace-order')!.spanContext().traceId;

      // Each hop of the saga: the command in inventory-service, its reply in order-service, the outcome in its readers.
      const hops: [string, string][] = [
        ['inventory.reserve', 'inventory-service'],
        ['inventory.reserved', 'order-service'],
        ['order.created', 'order-service'],
        ['order.confirmed', 'notification-service'],
        ['order.confirmed', 'analytics-service'],
      ];
      await waitFor('a process span for every hop of the saga', () =>
        hops.every(([type, consumer]) =>
          spans().some(
            (s) =>
              s.name === `process ${type}` &&
              s.attributes['messaging.consumer.group.name'] === consumer &&
              s.attributes['todo.correlation_id'] === 'trace-order',
          ),
        ),
      );
      const sagaSpans = spans().filter((s) => s.attributes['todo.correlation_id'] === 'trace-order');
      expect(new Set(sagaSpans.map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
      expect(order.saga.history.length).toBeGreaterThanOrEqual(3);
      for (const step of order.saga.history) expect(step).toMatchObject({ correlation_id: 'trace-order', trace_id: traceId });
    });

    it('keeps the trace across the deadline: the timeout and its compensation belong to the request that placed the order', async () => {
      await platform.stopService('inventory-service');
      try {
        const { body } = await orders()
          .post('/orders')
          .set('X-Request-Id', 'trace-timeout')
          .send({ items: [{ sku: 'TRACE-1', quantity: 1 }] })
          .expect(201);
        const order = await outcome(body.id);
        expect(order).toMatchObject({ status: 'cancelled', reason: 'timeout' });
        const traceId = requestSpan('trace-timeout')!.spanContext().traceId;
        const deadline = spans().find((s) => s.name === 'saga deadline' && s.attributes['todo.order_id'] === body.id)!;
        expect(deadline.spanContext().traceId).toBe(traceId);
        expect(deadline.attributes['todo.correlation_id']).toBe('trace-timeout');
        const timeout = order.saga.history.find((s: { kind: string }) => s.kind === 'timeout');
        expect(timeout).toMatchObject({ correlation_id: 'trace-timeout', trace_id: traceId });
      } finally {
        await platform.startService('inventory-service');
      }
    });

    it('counts sagas started, completed by outcome, compensated and timed out, and their duration', async () => {
      const metrics = (await orders().get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/order_sagas_started_total\{service="order-service"\} [2-9]/);
      expect(metrics).toMatch(/order_sagas_completed_total\{outcome="confirmed",reason="",service="order-service"\} [1-9]/);
      expect(metrics).toMatch(/order_sagas_completed_total\{outcome="cancelled",reason="timeout",service="order-service"\} 1/);
      expect(metrics).toMatch(/order_sagas_compensated_total\{reason="deadline-passed",service="order-service"\} 1/);
      expect(metrics).toMatch(/order_sagas_timed_out_total\{service="order-service"\} 1/);
      expect(metrics).toMatch(/order_saga_duration_seconds_count\{service="order-service",outcome="cancelled"\} 1/);
      expect(await promtoolCheckMetrics(metrics)).toEqual({ code: 0, output: '' });
    });
  });
});
