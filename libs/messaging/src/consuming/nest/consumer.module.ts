import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MessageContracts, PLATFORM_CONTRACTS } from '@todo/events';
import { JourneyRecorder, LOGGER, Logger, PlatformMetrics } from '@todo/observability';
import { AmqpConnection } from '../../connection/amqp-connection';
import { ConsumerQueue, PLATFORM_TOPOLOGY, Topology } from '../../topology/platform-topology';
import { QueueSettings } from '../../topology/queue-settings';
import { MessagingConventions } from '../../telemetry/messaging-conventions';
import { ConsumerPipeline } from '../consumer-pipeline';
import { ConsumerTelemetry } from '../consumer-telemetry';
import { MessageProcessing } from '../message-processing';
import { RabbitConsumer } from '../rabbit-consumer';
import { MessageHandlerExplorer } from './message-handler.explorer';

export interface ConsumerModuleOptions {
  /** The queue this service reads. */
  consumer: ConsumerQueue;
  topology?: Topology;
  /** The type its queues are declared as (classic unless told). */
  queues?: QueueSettings;
  /** Unacknowledged messages the broker may hand this process at once. */
  prefetch: number;
  contracts?: MessageContracts;
  /** Wraps the unit of work (the inbox), e.g. to inject faults in tests. */
  wrapProcessing?: (processing: MessageProcessing) => MessageProcessing;
  drainTimeoutMs?: number;
}

const CONSUMER_OPTIONS = Symbol('CONSUMER_OPTIONS');

/**
 * Starts consuming once the whole application is up (every handler registered, the
 * database migrated); stops before the HTTP server closes and long before the broker
 * connection and the pool do (this module is not global, so Nest shuts it down first).
 */
@Injectable()
export class ConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: RabbitConsumer;

  constructor(
    @Inject(CONSUMER_OPTIONS) private readonly options: ConsumerModuleOptions,
    private readonly explorer: MessageHandlerExplorer,
    private readonly connection: AmqpConnection,
    private readonly processing: MessageProcessing,
    @Optional() @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics | undefined,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly conventions: MessagingConventions,
    @Optional() private readonly journey?: JourneyRecorder,
  ) {}

  onApplicationBootstrap(): void {
    const { consumer, prefetch, wrapProcessing, drainTimeoutMs } = this.options;
    const handlers = this.explorer.explore();
    this.logger.info({ queue: consumer.queue, handlers: handlers.describe() }, 'Message handlers');
    const telemetry = new ConsumerTelemetry(consumer, this.logger, this.metrics, this.conventions);
    const pipeline = new ConsumerPipeline({
      consumer,
      contracts: this.options.contracts ?? PLATFORM_CONTRACTS,
      handlers,
      processing: wrapProcessing ? wrapProcessing(this.processing) : this.processing,
      telemetry,
      journey: this.journey,
    });
    this.consumer = new RabbitConsumer({
      connection: this.connection,
      topology: this.options.topology ?? PLATFORM_TOPOLOGY,
      consumer,
      queues: this.options.queues,
      prefetch,
      pipeline,
      telemetry,
      logger: this.logger,
      drainTimeoutMs,
    });
    this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}

/** The service's consumer: its queue, read through the pipeline into the `@OnEvent` / `@OnCommand` handlers. */
@Module({})
export class ConsumerModule {
  static forRoot(options: ConsumerModuleOptions): DynamicModule {
    return {
      module: ConsumerModule,
      imports: [DiscoveryModule],
      providers: [{ provide: CONSUMER_OPTIONS, useValue: options }, MessageHandlerExplorer, ConsumerHost],
    };
  }
}
