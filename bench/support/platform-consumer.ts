/**
 * The platform's consumer as a service runs it — RabbitConsumer and its pipeline, with
 * the handlers given here as the route table ConsumerModule would build from @OnEvent
 * methods — without booting a Nest application around it. The per-message path is the
 * same; only the start-up differs.
 */
import { PLATFORM_CONTRACTS, MessageContracts } from '@todo/events';
import {
  AmqpConnection,
  ConsumerPipeline,
  ConsumerTelemetry,
  HandlerContext,
  MessageHandlers,
  MessageProcessing,
  QueueSettings,
  RabbitConsumer,
  Topology,
  findConsumer,
} from '@todo/messaging';
import { Logger } from '@todo/observability';

export interface PlatformConsumerOptions {
  url: string;
  topology: Topology;
  queue: string;
  prefetch: number;
  processing: MessageProcessing;
  handlers: Record<string, (message: Record<string, unknown>, context: HandlerContext) => Promise<void> | void>;
  logger: Logger;
  contracts?: MessageContracts;
  /** Reuse a connection (e.g. one the publisher shares). */
  connection?: AmqpConnection;
  /** The type its queues are declared as (classic unless told). */
  queues?: QueueSettings;
}

export async function startPlatformConsumer(
  options: PlatformConsumerOptions,
): Promise<{ connection: AmqpConnection; stop(): Promise<void> }> {
  const consumer = findConsumer(options.topology, options.queue);
  const connection =
    options.connection ?? new AmqpConnection({ urls: [options.url], connectionName: options.queue, logger: options.logger });
  const telemetry = new ConsumerTelemetry(consumer, options.logger);
  const handlers = new MessageHandlers(
    Object.entries(options.handlers).map(([type, handle]) => [type, { name: `Bench.${type}`, handle }] as const),
  );
  const pipeline = new ConsumerPipeline({
    consumer,
    contracts: options.contracts ?? PLATFORM_CONTRACTS,
    handlers,
    processing: options.processing,
    telemetry,
  });
  const rabbit = new RabbitConsumer({
    connection,
    topology: options.topology,
    consumer,
    queues: options.queues,
    prefetch: options.prefetch,
    pipeline,
    telemetry,
    logger: options.logger,
  });
  rabbit.start();
  await connection.waitUntilConnected();
  return {
    connection,
    stop: async () => {
      await rabbit.stop();
      if (!options.connection) await connection.close();
    },
  };
}
