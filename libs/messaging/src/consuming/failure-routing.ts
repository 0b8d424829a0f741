import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { MessageMeta } from '@todo/events';
import { Headers } from '../headers';
import { MoveTarget, moveMessage } from '../publishing/move-message';
import { SettleOperation } from '../telemetry/messaging-attributes';
import { ConsumerQueue } from '../topology/platform-topology';
import { ConsumerTelemetry, Failure } from './consumer-telemetry';
import { DependencyUnavailableError } from './dependency-unavailable.error';
import { PermanentMessageError } from './permanent-message.error';

const STACK_LINES_KEPT = 8;
/**
 * The most of a reason or a stack a moved copy carries in its headers. amqplib refuses a
 * publish whose headers table passes 64 KiB (a RangeError, every time), so an unbounded
 * error message would leave its message unmovable, given back and redelivered for good.
 */
const HEADER_TEXT_KEPT = 4_000;

/** What becomes of a message whose handling failed. */
export type FailureAction =
  /** Wait in the retry queue of this attempt, then come back with the next attempt number. */
  | { kind: 'retry'; queue: string; delayMs: number }
  /** A dependency is down: wait in the longest retry queue, without spending an attempt. */
  | { kind: 'park'; queue: string; delayMs: number; dependency: string }
  /** Never going to work, or out of attempts: the dead-letter queue, with the reason. */
  | { kind: 'dead-letter' };

/** What to do with the original once the failure is routed. */
export type Settlement = 'ack' | 'requeue';

/** Where a failed message went, as a journey step's outcome: `requeued` when the move itself failed. */
export type RoutedOutcome = 'retry' | 'parked' | 'dead_lettered' | 'requeued';

/** Told where a failure went and why, once the move is settled. */
export type OnRouted = (outcome: RoutedOutcome, failure: Failure) => void;

/**
 * Where a failed message goes, and moving it there. A transient error is retried through
 * the broker-held retry queues (one per delay); a `PermanentMessageError`, or the last
 * retry failing, sends it to the dead-letter queue with its reason, code and trimmed
 * stack in the headers; a `DependencyUnavailableError` (the database is down) parks it
 * without spending an attempt. Every move is confirmed before the original is acked; a
 * move that fails leaves the original to be requeued.
 */
export class FailureRouting {
  constructor(
    private readonly consumer: ConsumerQueue,
    private readonly telemetry: ConsumerTelemetry,
  ) {}

  decide(error: unknown, attempt: number): FailureAction {
    const retries = this.consumer.retryQueues;
    if (error instanceof DependencyUnavailableError) {
      const park = retries[retries.length - 1];
      if (park) return { kind: 'park', queue: park.queue, delayMs: park.delayMs, dependency: error.dependency };
    }
    if (error instanceof PermanentMessageError || attempt > retries.length) return { kind: 'dead-letter' };
    const retry = retries[attempt - 1];
    return { kind: 'retry', queue: retry.queue, delayMs: retry.delayMs };
  }

  /** Routes a message that a handler failed on. */
  async failed(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    meta: MessageMeta,
    handler: string,
    error: unknown,
    onRouted?: OnRouted,
  ): Promise<Settlement> {
    const attempt = attemptOf(message);
    const failure = describeFailure(error);
    this.telemetry.failed(message, error, failure);
    const action = this.decide(error, attempt);
    const settlement = await this.route(channel, message, meta, handler, attempt, action, failure);
    const routed = action.kind === 'retry' ? 'retry' : action.kind === 'park' ? 'parked' : 'dead_lettered';
    onRouted?.(settlement === 'requeue' ? 'requeued' : routed, failure);
    return settlement;
  }

  private route(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    meta: MessageMeta,
    handler: string,
    attempt: number,
    action: FailureAction,
    failure: Failure,
  ): Promise<Settlement> {
    const now = new Date().toISOString();
    switch (action.kind) {
      case 'retry':
        this.telemetry.retrying(meta, handler, attempt, action.delayMs, failure);
        return this.move(channel, message, 'retry', {
          exchange: this.consumer.retryExchange,
          routingKey: action.queue,
          headers: {
            ...failureHeaders(message, now),
            [Headers.Attempt]: attempt + 1,
            [Headers.DeadLetterReason]: headerText(failure.reason),
          },
        });
      case 'park':
        this.telemetry.parked(meta, action.dependency, action.delayMs, failure.reason);
        return this.move(channel, message, 'park', {
          exchange: this.consumer.retryExchange,
          routingKey: action.queue,
          headers: {
            ...failureHeaders(message, now),
            [Headers.OutageRetries]: Number(message.properties.headers?.[Headers.OutageRetries] ?? 0) + 1,
          },
        });
      case 'dead-letter':
        return this.deadLetter(channel, message, meta, failure);
    }
  }

  /** Sends a message to the dead-letter queue at once: it is invalid, has no handler, or failed for good. */
  deadLetter(channel: ConfirmChannel, message: ConsumeMessage, meta: MessageMeta | undefined, failure: Failure): Promise<Settlement> {
    this.telemetry.deadLettered(message, meta, failure);
    return this.move(channel, message, 'dead_letter', {
      exchange: this.consumer.deadLetterExchange,
      routingKey: '',
      headers: {
        ...failureHeaders(message, new Date().toISOString()),
        [Headers.Attempt]: attemptOf(message),
        [Headers.DeadLetterConsumer]: this.consumer.queue,
        [Headers.DeadLetterCode]: failure.code,
        [Headers.DeadLetterReason]: headerText(failure.reason),
        ...(failure.stack ? { [Headers.DeadLetterStack]: headerText(failure.stack) } : {}),
      },
    });
  }

  /** A move settles the delivery (a settle span and duration of its own); the original is acked once the copy is confirmed. */
  private async move(channel: ConfirmChannel, message: ConsumeMessage, operation: SettleOperation, to: MoveTarget): Promise<Settlement> {
    const settled = this.telemetry.settling(message, operation, to);
    try {
      await moveMessage(channel, message, to);
      settled();
      return 'ack';
    } catch (error) {
      settled(error);
      // Back to the work queue, so it does not hold a prefetch slot; it keeps its attempt count.
      this.telemetry.notMoved(to, error);
      return 'requeue';
    }
  }
}

/** 1 for the first delivery; raised each time the message comes back from a retry queue. */
export function attemptOf(message: ConsumeMessage): number {
  const value = Number(message.properties.headers?.[Headers.Attempt] ?? 1);
  return Number.isSafeInteger(value) && value > 0 ? value : 1;
}

export function describeFailure(error: unknown): Failure {
  if (error instanceof Error) {
    return {
      code: error instanceof PermanentMessageError ? error.code : error.name,
      reason: error.message,
      stack: error.stack?.split('\n').slice(0, STACK_LINES_KEPT).join('\n'),
    };
  }
  return { code: 'UNKNOWN', reason: String(error) };
}

function headerText(text: string): string {
  return text.length <= HEADER_TEXT_KEPT ? text : `${text.slice(0, HEADER_TEXT_KEPT)}… (${text.length - HEADER_TEXT_KEPT} more characters)`;
}

/**
 * Headers every moved copy carries. A message coming back from a retry queue arrives
 * through the default exchange, so where it first came from is kept from its first failure.
 */
function failureHeaders(message: ConsumeMessage, now: string): Record<string, unknown> {
  const headers = message.properties.headers ?? {};
  return {
    ...headers,
    [Headers.FirstFailureAt]: headers[Headers.FirstFailureAt] ?? now,
    [Headers.LastFailureAt]: now,
    [Headers.OriginalRoutingKey]: headers[Headers.OriginalRoutingKey] ?? message.fields.routingKey,
    [Headers.OriginalExchange]: headers[Headers.OriginalExchange] ?? message.fields.exchange,
  };
}
