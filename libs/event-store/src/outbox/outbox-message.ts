import { Headers, OutgoingMessage, Topology, destinationOf } from '@todo/messaging';
import { OutboxEntry } from './outbox-table';

/**
 * An outbox entry as it goes on the wire: its exchange and routing key from the topology
 * (events to the topic exchange, commands to the one queue bound for their type), and its
 * AMQP properties and headers derived from what the entry is — the store never writes
 * broker details. `traceHeaders` carry the send span (`traceparent`).
 */
export function toOutgoingMessage(entry: OutboxEntry, topology: Topology, traceHeaders: Record<string, string>): OutgoingMessage {
  const { exchange, routingKey } = destinationOf(topology, entry.message_kind, entry.message_type);
  return {
    exchange,
    routingKey,
    messageId: entry.message_id,
    body: Buffer.from(entry.payload),
    type: entry.message_type,
    correlationId: entry.correlation_id,
    timestamp: entry.created_at,
    headers: {
      [entry.message_kind === 'command' ? Headers.CommandType : Headers.EventType]: entry.message_type,
      [Headers.AggregateId]: entry.aggregate_id,
      [Headers.CorrelationId]: entry.correlation_id,
      [Headers.CausationId]: entry.causation_id,
      ...traceHeaders,
    },
  };
}
