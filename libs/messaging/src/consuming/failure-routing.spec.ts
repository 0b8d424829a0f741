import { captureLogs } from '../../../../test/support/logs';
import { Headers } from '../headers';
import { consumerQueue } from '../topology/platform-topology';
import { ConsumerTelemetry } from './consumer-telemetry';
import { DependencyUnavailableError } from './dependency-unavailable.error';
import { FailureRouting, attemptOf } from './failure-routing';
import { PermanentMessageError } from './permanent-message.error';
import { deliveredMessage, fakeConfirmChannel } from './testing/fakes';

const CONSUMER = consumerQueue('test-consumer', ['todo.#'], { retryDelaysMs: [100, 200, 300] });
const META = { kind: 'event' as const, id: 'e-1', type: 'todo.created', key: 'todo-1', correlationId: 'req-1' };

function routing() {
  const logs = captureLogs('failure-routing-spec');
  return { routing: new FailureRouting(CONSUMER, new ConsumerTelemetry(CONSUMER, logs.logger)), logs };
}

describe('FailureRouting', () => {
  it('retries a transient failure in the retry queue of its attempt, then dead-letters after the last one', () => {
    const { routing: r } = routing();
    const error = new Error('flaky');
    expect(r.decide(error, 1)).toEqual({ kind: 'retry', queue: 'test-consumer.retry.100ms', delayMs: 100 });
    expect(r.decide(error, 3)).toEqual({ kind: 'retry', queue: 'test-consumer.retry.300ms', delayMs: 300 });
    expect(r.decide(error, 4)).toEqual({ kind: 'dead-letter' });
  });

  it('dead-letters a permanent failure at once, and parks a dependency outage without spending an attempt', () => {
    const { routing: r } = routing();
    expect(r.decide(new PermanentMessageError('NOPE', 'never'), 1)).toEqual({ kind: 'dead-letter' });
    expect(r.decide(new DependencyUnavailableError('postgres', new Error('down')), 3)).toEqual({
      kind: 'park',
      queue: 'test-consumer.retry.300ms',
      delayMs: 300,
      dependency: 'postgres',
    });
  });

  it('moves a retried message with its next attempt and its first routing, and acks only after the confirm', async () => {
    const { routing: r, logs } = routing();
    const { channel, published } = fakeConfirmChannel();
    const message = deliveredMessage({}, { [Headers.Attempt]: 2 });

    await expect(r.failed(channel, message, META, 'H.handle', new Error('flaky'))).resolves.toBe('ack');

    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ exchange: 'test-consumer.retry', routingKey: 'test-consumer.retry.200ms' });
    expect(published[0].options).toMatchObject({ persistent: true, messageId: 'm-1' });
    expect(published[0].options.headers).toMatchObject({
      [Headers.Attempt]: 3,
      [Headers.DeadLetterReason]: 'flaky',
      [Headers.OriginalRoutingKey]: 'todo.created',
      [Headers.OriginalExchange]: 'todo-events',
    });
    expect(logs.find('Event handling failed; retry scheduled')).toEqual([expect.objectContaining({ attempt: 2, retry_in_ms: 200 })]);
  });

  it('dead-letters with the code, reason, consumer and a trimmed stack in the headers', async () => {
    const { routing: r } = routing();
    const { channel, published } = fakeConfirmChannel();
    await r.failed(channel, deliveredMessage({}), META, 'H.handle', new PermanentMessageError('TODO_REJECTED', 'cannot'));
    expect(published[0]).toMatchObject({ exchange: 'test-consumer.dlx', routingKey: '' });
    const headers = published[0].options.headers!;
    expect(headers).toMatchObject({
      [Headers.DeadLetterCode]: 'TODO_REJECTED',
      [Headers.DeadLetterReason]: 'cannot',
      [Headers.DeadLetterConsumer]: 'test-consumer',
      [Headers.Attempt]: 1,
    });
    expect(String(headers[Headers.DeadLetterStack]).split('\n').length).toBeLessThanOrEqual(8);
  });

  it('cuts a huge reason and stack in the headers, so the copy stays publishable (amqplib refuses a headers table past 64 KiB)', async () => {
    const { routing: r } = routing();
    const { channel, published } = fakeConfirmChannel();
    const error = new PermanentMessageError('TOO_LONG', 'x'.repeat(100_000));
    error.stack = `PermanentMessageError: ${'y'.repeat(100_000)}\n    at somewhere`;
    await expect(r.failed(channel, deliveredMessage({}), META, 'H.handle', error)).resolves.toBe('ack');
    const headers = published[0].options.headers!;
    expect(String(headers[Headers.DeadLetterReason])).toMatch(/^x{4000}… \(96000 more characters\)$/);
    expect(String(headers[Headers.DeadLetterStack]).length).toBeLessThan(4_100);
  });

  it('asks for a requeue when the broker refuses the copy, so the message is never lost', async () => {
    const { routing: r, logs } = routing();
    const { channel } = fakeConfirmChannel(true);
    await expect(r.failed(channel, deliveredMessage({}), META, 'H.handle', new Error('flaky'))).resolves.toBe('requeue');
    expect(logs.find('Could not move message; requeued')).toHaveLength(1);
  });

  it('reads the attempt from the headers, 1 when absent or nonsense', () => {
    expect(attemptOf(deliveredMessage({}))).toBe(1);
    expect(attemptOf(deliveredMessage({}, { [Headers.Attempt]: 3 }))).toBe(3);
    expect(attemptOf(deliveredMessage({}, { [Headers.Attempt]: 'x' }))).toBe(1);
  });
});
