import { MessageContracts, rules } from '@todo/events';
import { captureLogs } from '../../../../test/support/logs';
import { consumerQueue } from '../topology/platform-topology';
import { ConsumerPipeline } from './consumer-pipeline';
import { ConsumerTelemetry } from './consumer-telemetry';
import { HandlerContext, MessageHandlers } from './message-handlers';
import { Delivery, MessageProcessing, ProcessingOutcome } from './message-processing';
import { deliveredMessage, fakeConfirmChannel } from './testing/fakes';

const CONSUMER = consumerQueue('test-consumer', ['thing.#'], { commands: ['thing.do'] });
const CONTRACTS = new MessageContracts(
  { 'thing.happened': { 1: { thing_id: rules.positiveInt() } }, 'thing.ignored': { 1: {} } },
  { 'thing.do': { 1: { thing_id: rules.positiveInt() } } },
);

const event = (thingId: number) => ({
  event_id: `00000000-0000-4000-8000-${String(thingId).padStart(12, '0')}`,
  event_type: 'thing.happened',
  event_version: 1,
  aggregate_id: `thing-${thingId}`,
  aggregate_type: 'thing',
  aggregate_version: 1,
  occurred_at: '2026-12-01T10:00:00.000Z',
  correlation_id: 'req-1',
  causation_id: 'req-1',
  thing_id: thingId,
});

/** A unit of work that hands the handler a scope and records what it was given. */
class RecordingProcessing extends MessageProcessing {
  readonly deliveries: Delivery[] = [];
  async process(delivery: Delivery, handle: (scope: object) => Promise<void>): Promise<ProcessingOutcome> {
    this.deliveries.push(delivery);
    await handle({ tx: 'the transaction' });
    return 'processed';
  }
}

function pipeline(handle: (message: Record<string, unknown>, context: HandlerContext) => Promise<void> | void) {
  const logs = captureLogs('pipeline-spec');
  const processing = new RecordingProcessing();
  const handlers = new MessageHandlers([
    ['thing.happened', { name: 'ThingHandler.handle', handle }],
    ['thing.do', { name: 'DoThingHandler.handle', handle }],
  ]);
  const telemetry = new ConsumerTelemetry(CONSUMER, logs.logger);
  return {
    logs,
    processing,
    pipeline: new ConsumerPipeline({ consumer: CONSUMER, contracts: CONTRACTS, handlers, processing, telemetry }),
  };
}

describe('ConsumerPipeline', () => {
  it('validates, routes by type, runs the handler in the unit of work with its context, and acks', async () => {
    const seen: { message: Record<string, unknown>; context: HandlerContext }[] = [];
    const { pipeline: p, processing, logs } = pipeline((message, context) => void seen.push({ message, context }));
    const { channel, published } = fakeConfirmChannel();
    const message = deliveredMessage(event(1));

    await expect(p.handle(channel, message)).resolves.toBe('ack');

    expect(processing.deliveries).toEqual([
      {
        consumer: 'test-consumer',
        meta: expect.objectContaining({ kind: 'event', type: 'thing.happened', key: 'thing-1' }),
        message: event(1),
      },
    ]);
    expect(seen).toEqual([{ message: event(1), context: { tx: 'the transaction', attempt: 1, amqpMessage: message } }]);
    expect(published).toEqual([]);
    expect(logs.find('Event consumed')).toEqual([expect.objectContaining({ handler: 'ThingHandler.handle', correlation_id: 'req-1' })]);
  });

  it('routes a command addressed to this consumer to its handler like an event', async () => {
    const types: string[] = [];
    const { pipeline: p } = pipeline((message) => void types.push(String(message.command_type)));
    const command = {
      command_id: '00000000-0000-4000-8000-000000000009',
      command_type: 'thing.do',
      command_version: 1,
      target_id: 'thing-9',
      issued_at: '2026-12-01T10:00:00.000Z',
      correlation_id: 'req-9',
      causation_id: 'req-9',
      thing_id: 9,
    };
    await expect(p.handle(fakeConfirmChannel().channel, deliveredMessage(command))).resolves.toBe('ack');
    expect(types).toEqual(['thing.do']);
  });

  it('dead-letters a message it cannot read, and one it has no handler for, without calling any handler', async () => {
    let calls = 0;
    const { pipeline: p } = pipeline(() => void (calls += 1));
    const { channel, published } = fakeConfirmChannel();

    await expect(p.handle(channel, deliveredMessage('{not json'))).resolves.toBe('ack');
    await expect(p.handle(channel, deliveredMessage({ ...event(2), event_type: 'thing.ignored' }))).resolves.toBe('ack');

    expect(calls).toBe(0);
    expect(published.map((m) => m.options.headers?.['x-dead-letter-code'])).toEqual(['MALFORMED_JSON', 'NO_HANDLER']);
    expect(published.every((m) => m.exchange === 'test-consumer.dlx')).toBe(true);
  });

  it('routes a failing handler to a retry, and reports how to settle the original', async () => {
    const { pipeline: p } = pipeline(() => {
      throw new Error('flaky');
    });
    const { channel, published } = fakeConfirmChannel();
    await expect(p.handle(channel, deliveredMessage(event(3)))).resolves.toBe('ack');
    expect(published[0].routingKey).toBe('test-consumer.retry.1000ms');
  });

  it('handles the messages of one aggregate one at a time', async () => {
    let running = 0;
    let most = 0;
    const { pipeline: p } = pipeline(async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
    });
    const { channel } = fakeConfirmChannel();
    await Promise.all([1, 1, 1].map((id) => p.handle(channel, deliveredMessage(event(id)))));
    expect(most).toBe(1);
    expect(p.keysInFlight).toBe(0);
  });
});
