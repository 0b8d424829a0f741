import { performance } from 'node:perf_hooks';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { MessageContracts, MessageMeta } from '@todo/events';
import { JourneyRecorder, JourneyStep, activeTraceId } from '@todo/observability';
import { ConsumerQueue } from '../topology/platform-topology';
import { AggregateLanes } from './aggregate-lanes';
import { ConsumerTelemetry } from './consumer-telemetry';
import { Failure } from './consumer-telemetry';
import { FailureRouting, Settlement, attemptOf } from './failure-routing';
import { MessageHandler, MessageHandlers } from './message-handlers';
import { MessageProcessing } from './message-processing';

export interface ConsumerPipelineOptions {
  consumer: ConsumerQueue;
  /** The events and commands this consumer validates messages against. */
  contracts: MessageContracts;
  handlers: MessageHandlers;
  /** The unit of work around a handler: the inbox. */
  processing: MessageProcessing;
  telemetry: ConsumerTelemetry;
  /** Where each attempt is noted as a step of its flow's journey. */
  journey?: JourneyRecorder;
}

/**
 * The path of one delivered message, in order:
 *
 *   validate (contracts) → find its handler (MessageHandlers) → wait for its key's lane
 *   (AggregateLanes) → span and correlation scope (ConsumerTelemetry) → unit of work
 *   (MessageProcessing: the inbox transaction) → the handler → ack, or route the failure
 *   (FailureRouting: retry, park, dead-letter).
 *
 * It answers how to settle the delivery; the consumer's lifecycle (RabbitConsumer) does it.
 */
export class ConsumerPipeline {
  private readonly lanes = new AggregateLanes();
  private readonly failures: FailureRouting;

  constructor(private readonly options: ConsumerPipelineOptions) {
    this.failures = new FailureRouting(options.consumer, options.telemetry);
  }

  async handle(channel: ConfirmChannel, message: ConsumeMessage): Promise<Settlement> {
    const { contracts, handlers, telemetry, consumer } = this.options;
    const attempt = attemptOf(message);
    const parsed = contracts.parse(message.content);
    if (!parsed.ok) {
      const failure = { code: parsed.rejection, reason: parsed.reason };
      return telemetry.within(message, attempt, undefined, () => this.failures.deadLetter(channel, message, undefined, failure));
    }
    const { meta } = parsed;
    const handler = handlers.find(meta.type);
    if (!handler) {
      const failure = { code: 'NO_HANDLER', reason: `${consumer.queue} has no handler for ${meta.type}` };
      return telemetry.within(message, attempt, meta, async () => {
        const startedAt = new Date();
        const started = performance.now();
        const settlement = await this.failures.deadLetter(channel, message, meta, failure);
        this.noteStep(parsed.message, meta, attempt, startedAt, started, settlement === 'requeue' ? 'requeued' : 'dead_lettered', failure);
        return settlement;
      });
    }
    return this.lanes.run(meta.key, () =>
      telemetry.within(message, attempt, meta, () => this.process(channel, message, parsed.message, meta, handler, attempt)),
    );
  }

  /** Messages whose lane is busy or which are being handled: their keys. */
  get keysInFlight(): number {
    return this.lanes.size;
  }

  private async process(
    channel: ConfirmChannel,
    amqpMessage: ConsumeMessage,
    message: Record<string, unknown>,
    meta: MessageMeta,
    handler: MessageHandler,
    attempt: number,
  ): Promise<Settlement> {
    const { processing, telemetry, consumer } = this.options;
    const startedAt = performance.now();
    const startedAtWall = new Date();
    try {
      const outcome = await processing.process({ consumer: consumer.queue, meta, message }, async (scope) => {
        await handler.handle(message, { ...scope, attempt, amqpMessage });
      });
      telemetry.consumed(meta, handler.name, attempt, startedAt, outcome);
      this.noteStep(message, meta, attempt, startedAtWall, startedAt, outcome);
      return 'ack';
    } catch (error) {
      return this.failures.failed(channel, amqpMessage, meta, handler.name, error, (routed, failure) =>
        this.noteStep(message, meta, attempt, startedAtWall, startedAt, routed, failure),
      );
    }
  }

  private noteStep(
    message: Record<string, unknown>,
    meta: MessageMeta,
    attempt: number,
    startedAt: Date,
    startedAtMs: number,
    outcome: string,
    failure?: Failure,
  ): void {
    const journey = this.options.journey;
    if (!journey) return;
    const step: JourneyStep = {
      kind: 'message',
      correlationId: meta.correlationId,
      userId: Number.isSafeInteger(message.user_id) ? (message.user_id as number) : undefined,
      name: this.options.consumer.queue,
      messageId: meta.id,
      messageType: meta.type,
      attempt,
      outcome,
      detail: failure ? `${failure.code}: ${failure.reason}` : undefined,
      startedAt,
      durationMs: performance.now() - startedAtMs,
      traceId: activeTraceId(),
    };
    journey.record(step);
  }
}
