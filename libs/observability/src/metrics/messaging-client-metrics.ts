import { Counter, Histogram, Registry } from 'prom-client';

/** The bucket boundaries the conventions advise for both messaging durations, in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Every attribute the four metrics carry in the messaging conventions (which one carries which is the caller's). */
const ATTRIBUTES = [
  'messaging.system.name',
  'messaging.operation.name',
  'messaging.operation.type',
  'messaging.destination.name',
  'messaging.consumer.group.name',
  'error.type',
  'server.address',
  'server.port',
] as const;

/** OpenTelemetry attributes, by their dotted names. */
export type MessagingMetricAttributes = Record<string, string | number>;

/** An attribute as a Prometheus label: what is not a letter, digit or `_` becomes `_`. */
export function prometheusLabel(attribute: string): string {
  return attribute.replace(/[^a-zA-Z0-9_]/g, '_');
}

const LABELS = ATTRIBUTES.map(prometheusLabel);
/** Each attribute's label, worked out once: labelsOf runs several times per message. */
const LABEL_OF = new Map<string, string>(ATTRIBUTES.map((attribute) => [attribute, prometheusLabel(attribute)]));

function labelsOf(attributes: MessagingMetricAttributes): Record<string, string | number> {
  const labels: Record<string, string | number> = {};
  for (const attribute in attributes) labels[LABEL_OF.get(attribute) ?? prometheusLabel(attribute)] = attributes[attribute];
  return labels;
}

/**
 * OpenTelemetry's four messaging client metrics, in the service's prom-client registry
 * beside the platform's own, under the names OpenTelemetry's Prometheus translation gives
 * them: the unit as a suffix (`s` → `_seconds`, `{message}` dropped), `_total` on counters,
 * attributes as labels with dots as underscores.
 */
export class MessagingClientMetrics {
  private readonly operationDuration: Histogram<string>;
  private readonly sentMessages: Counter<string>;
  private readonly consumedMessages: Counter<string>;
  private readonly processDuration: Histogram<string>;

  constructor(registry: Registry) {
    this.operationDuration = new Histogram({
      name: 'messaging_client_operation_duration_seconds',
      help: 'Duration of messaging operation initiated by a producer or consumer client (messaging.client.operation.duration)',
      labelNames: LABELS,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
    this.sentMessages = new Counter({
      name: 'messaging_client_sent_messages_total',
      help: 'Number of messages producer attempted to send to the broker (messaging.client.sent.messages)',
      labelNames: LABELS,
      registers: [registry],
    });
    this.consumedMessages = new Counter({
      name: 'messaging_client_consumed_messages_total',
      help: 'Number of messages that were delivered to the application (messaging.client.consumed.messages)',
      labelNames: LABELS,
      registers: [registry],
    });
    this.processDuration = new Histogram({
      name: 'messaging_process_duration_seconds',
      help: 'Duration of processing operation (messaging.process.duration)',
      labelNames: LABELS,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
  }

  /** `messaging.client.operation.duration`: a send, or a settlement. */
  operation(attributes: MessagingMetricAttributes, seconds: number): void {
    this.operationDuration.observe(labelsOf(attributes), seconds);
  }

  /** `messaging.client.sent.messages`. */
  sent(attributes: MessagingMetricAttributes): void {
    this.sentMessages.inc(labelsOf(attributes));
  }

  /** `messaging.client.consumed.messages`. */
  consumed(attributes: MessagingMetricAttributes): void {
    this.consumedMessages.inc(labelsOf(attributes));
  }

  /** `messaging.process.duration`. */
  processed(attributes: MessagingMetricAttributes, seconds: number): void {
    this.processDuration.observe(labelsOf(attributes), seconds);
  }
}
