import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { PLATFORM_CONTRACTS } from '@todo/events';
import {
  AmqpConnection,
  ConsumerPipeline,
  ConsumerTelemetry,
  DirectProcessing,
  MessageHandlers,
  MessagePublisher,
  MessagingConventions,
  PermanentMessageError,
  RabbitConsumer,
  TODO_EVENTS_EXCHANGE,
  Topology,
  consumerQueue,
  defineTopology,
} from '@todo/messaging';
import { PlatformMetrics, inSpan } from '@todo/observability';
import { DataSource } from 'typeorm';
import { causation, eventStoreSchema, todoCreated } from '../../../../test/support/event-store-fixture';
import { CapturedLogs, captureLogs } from '../../../../test/support/logs';
import { TEST_DATABASE_URL, dropSchemas } from '../../../../test/support/postgres';
import { promtoolCheckMetrics } from '../../../../test/support/promtool';
import { createTestVhost } from '../../../../test/support/rabbitmq';
import { waitFor } from '../../../../test/support/wait-for';
import { EventStore } from '../store/event-store';
import { OutboxRelay } from './outbox-relay';

const CONSUMER = consumerQueue('telemetry-consumer', ['todo.#'], { retryDelaysMs: [100] });
const TOPOLOGY: Topology = defineTopology({ exchange: TODO_EVENTS_EXCHANGE, consumers: [CONSUMER] });
const SENT_TO = 'todo-events:todo.created';
const CONSUMED_FROM = 'todo-events:todo.created:telemetry-consumer';

/** The samples of one metric in a scrape, each with its labels. */
function samples(scrape: string, name: string): { labels: Record<string, string>; value: number }[] {
  return scrape
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .map((line) => {
      const [, labels, value] = /^[^{]+\{(.*)\} (\S+)$/.exec(line)!;
      return { labels: Object.fromEntries([...labels.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v])), value: Number(value) };
    });
}

/**
 * The outbox relay and a consumer on the real broker, with the current messaging
 * conventions (OTEL_SEMCONV_STABILITY_OPT_IN=messaging): their spans form one trace from
 * the request through send, process and settle, and OpenTelemetry's messaging metrics
 * appear with their attributes as labels, accepted by Prometheus' own checker.
 */
describe('messaging telemetry of the relay and a consumer, on RabbitMQ and PostgreSQL', () => {
  const exporter = new InMemorySpanExporter();
  const spans = () => exporter.getFinishedSpans();
  const relayMetrics = new PlatformMetrics('todo-service');
  const consumerMetrics = new PlatformMetrics('telemetry-consumer');
  const failedOnce = new Set<string>();
  let logs: CapturedLogs;
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let schema: string;
  let dataSource: DataSource;
  let store: EventStore;
  let connection: AmqpConnection;
  let publisher: MessagePublisher;
  let relay: OutboxRelay;
  let consumer: RabbitConsumer;

  /** Appends a todo.created inside a request span, as the HTTP edge would; returns the span's trace id and the event id. */
  const request = (todoId: number, title: string) =>
    inSpan('request', {}, async (span) => {
      const [event] = await dataSource.transaction((tx) =>
        store.append(tx, {
          streamId: `todo-${todoId}`,
          streamType: 'todo',
          expectedVersion: 0,
          events: [todoCreated(todoId, title)],
          causation: causation(`req-${todoId}`),
        }),
      );
      return { traceId: span.spanContext().traceId, eventId: event.event_id };
    });
  const ofMessage = (eventId: string) => spans().filter((s) => s.attributes['messaging.message.id'] === eventId);
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  beforeAll(async () => {
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    logs = captureLogs('messaging-telemetry');
    vhost = await createTestVhost('otel', { topology: TOPOLOGY });
    ({ schema, dataSource, store } = await eventStoreSchema('otel', logs.logger));
    connection = new AmqpConnection({ urls: [vhost.url], connectionName: 'telemetry-test', logger: logs.logger });
    const conventions = new MessagingConventions('new', connection.node);

    const telemetry = new ConsumerTelemetry(CONSUMER, logs.logger, consumerMetrics, conventions);
    const handlers = new MessageHandlers([
      [
        'todo.created',
        {
          name: 'TelemetryProbe.handle',
          handle: (message) => {
            if (message.title === 'refused') throw new PermanentMessageError('TODO.REFUSED', 'this todo is refused');
            if (message.title === 'retried once' && !failedOnce.has(String(message.event_id))) {
              failedOnce.add(String(message.event_id));
              throw new Error('planned transient failure');
            }
          },
        },
      ],
    ]);
    const pipeline = new ConsumerPipeline({
      consumer: CONSUMER,
      contracts: PLATFORM_CONTRACTS,
      handlers,
      processing: new DirectProcessing(),
      telemetry,
    });
    consumer = new RabbitConsumer({
      connection,
      topology: TOPOLOGY,
      consumer: CONSUMER,
      prefetch: 10,
      pipeline,
      telemetry,
      logger: logs.logger,
    });
    consumer.start();
    publisher = new MessagePublisher(connection, TOPOLOGY, logs.logger);
    relay = new OutboxRelay({
      databaseUrl: TEST_DATABASE_URL,
      schema,
      publisher,
      logger: logs.logger,
      topology: TOPOLOGY,
      metrics: relayMetrics,
      conventions,
      pollIntervalMs: 60_000,
    });
    relay.start();
    await connection.waitUntilConnected();
  });

  afterAll(async () => {
    await relay?.stop();
    await consumer?.stop();
    await publisher?.close();
    await connection?.close();
    await dataSource?.destroy();
    await vhost?.dispose();
    await dropSchemas(schema);
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('is one trace from the request through the send span, the process span and the ack, named and described by the current conventions', async () => {
    const { traceId, eventId } = await request(1, 'traced');
    // The send span ends with the broker's confirm, which may come after the consumer acked.
    const [send, ack] = await waitFor('the send span and the ack of the message', () => {
      const ended = [`send ${SENT_TO}`, `ack ${CONSUMED_FROM}`].map((name) => ofMessage(eventId).find((s) => s.name === name));
      return ended.every(Boolean) && (ended as ReadableSpan[]);
    });

    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.attributes).toMatchObject({
      'messaging.system.name': 'rabbitmq',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': SENT_TO,
      'rabbitmq.destination.routing_key': 'todo.created',
      'messaging.message.conversation_id': 'req-1',
      'server.address': '127.0.0.1',
      'server.port': 5672,
      'todo.event_type': 'todo.created',
    });
    expect(send.attributes).not.toHaveProperty('messaging.system');

    const process = ofMessage(eventId).find((s) => s.name === `process ${CONSUMED_FROM}`)!;
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(process)).toBe(send.spanContext().spanId);
    expect(process.links.map((l) => l.context.spanId)).toEqual([send.spanContext().spanId]);
    expect(process.attributes).toMatchObject({
      'messaging.operation.name': 'process',
      'messaging.destination.name': CONSUMED_FROM,
      'messaging.consumer.group.name': 'telemetry-consumer',
      'rabbitmq.message.delivery_tag': expect.any(Number),
    });
    expect(process.attributes).not.toHaveProperty('error.type');

    expect(ack.kind).toBe(SpanKind.CLIENT);
    expect(parentOf(ack)).toBe(process.spanContext().spanId);
    expect(ack.attributes).toMatchObject({ 'messaging.operation.name': 'ack', 'messaging.operation.type': 'settle' });
    for (const span of [send, process, ack]) expect(span.spanContext().traceId).toBe(traceId);
  });

  it('settles a failed attempt by its move — a retry or a dead-letter — under that attempt, then acks it', async () => {
    const retried = await request(2, 'retried once');
    const refused = await request(3, 'refused');
    await waitFor(
      'both messages settled for good',
      () =>
        ofMessage(retried.eventId).filter((s) => s.name.startsWith('ack ')).length === 2 &&
        ofMessage(refused.eventId).some((s) => s.name.startsWith('ack ')),
    );

    const attempts = ofMessage(retried.eventId).filter((s) => s.name === `process ${CONSUMED_FROM}`);
    expect(attempts.map((s) => s.attributes['todo.attempt']).sort()).toEqual([1, 2]);
    const [first, second] = attempts.sort((a, b) => Number(a.attributes['todo.attempt']) - Number(b.attributes['todo.attempt']));
    expect(first.attributes['error.type']).toBe('Error');
    expect(second.attributes).not.toHaveProperty('error.type');
    const retry = ofMessage(retried.eventId).find((s) => s.name === `retry ${CONSUMED_FROM}`)!;
    expect(parentOf(retry)).toBe(first.spanContext().spanId);
    expect(retry.attributes).toMatchObject({
      'messaging.operation.type': 'settle',
      'todo.moved_to': 'telemetry-consumer.retry:telemetry-consumer.retry.100ms',
    });

    const process = ofMessage(refused.eventId).find((s) => s.name === `process ${CONSUMED_FROM}`)!;
    expect(process.attributes['error.type']).toBe('TODO.REFUSED');
    const deadLetter = ofMessage(refused.eventId).find((s) => s.name === `dead_letter ${CONSUMED_FROM}`)!;
    expect(parentOf(deadLetter)).toBe(process.spanContext().spanId);
    expect(deadLetter.attributes['todo.moved_to']).toBe('telemetry-consumer.dlx');
  });

  it("exposes OpenTelemetry's messaging metrics with their attributes as labels, which Prometheus' checker accepts", async () => {
    // A send is recorded with the broker's confirm, which may come after the consumer acked.
    const sent = await waitFor('the three sends recorded', async () => {
      const scrape = await relayMetrics.registry.metrics();
      return samples(scrape, 'messaging_client_sent_messages_total')[0]?.value === 3 && scrape;
    });
    const broker = { server_address: '127.0.0.1', server_port: '5672' };
    expect(samples(sent, 'messaging_client_sent_messages_total')).toEqual([
      {
        labels: {
          messaging_system_name: 'rabbitmq',
          messaging_operation_name: 'send',
          messaging_destination_name: SENT_TO,
          ...broker,
          service: 'todo-service',
        },
        value: 3,
      },
    ]);
    expect(samples(sent, 'messaging_client_operation_duration_seconds_count')).toEqual([
      expect.objectContaining({
        labels: expect.objectContaining({ messaging_operation_type: 'send', messaging_destination_name: SENT_TO }),
        value: 3,
      }),
    ]);

    const consumed = await consumerMetrics.registry.metrics();
    const group = {
      messaging_system_name: 'rabbitmq',
      messaging_destination_name: CONSUMED_FROM,
      messaging_consumer_group_name: 'telemetry-consumer',
    };
    expect(samples(consumed, 'messaging_client_consumed_messages_total')).toEqual([
      { labels: { ...group, messaging_operation_name: 'process', ...broker, service: 'telemetry-consumer' }, value: 4 },
    ]);
    const processed = samples(consumed, 'messaging_process_duration_seconds_count');
    expect(processed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: expect.not.objectContaining({ error_type: expect.anything() }), value: 2 }),
        expect.objectContaining({ labels: expect.objectContaining({ error_type: 'Error' }), value: 1 }),
        expect.objectContaining({ labels: expect.objectContaining({ error_type: 'TODO.REFUSED' }), value: 1 }),
      ]),
    );
    const settled = samples(consumed, 'messaging_client_operation_duration_seconds_count').map((s) => [
      s.labels.messaging_operation_name,
      s.labels.messaging_operation_type,
      s.value,
    ]);
    expect(settled.sort()).toEqual([
      ['ack', 'settle', 4],
      ['dead_letter', 'settle', 1],
      ['retry', 'settle', 1],
    ]);

    for (const scrape of [sent, consumed]) expect(await promtoolCheckMetrics(scrape)).toEqual({ code: 0, output: '' });
  });
});
