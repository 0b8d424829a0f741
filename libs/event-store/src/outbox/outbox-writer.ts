import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CommandEnvelope, EventEnvelope, NewCommand, PlatformCommand } from '@todo/events';
import { currentTraceCarrier } from '@todo/observability';
import { Causation } from '../store/stored-event';
import { OutboxMessage, OutboxTable } from './outbox-table';

/** An event a service publishes without an event store of its own (the state it reports lives in tables). */
export interface NewPublishedEvent<TEvent extends EventEnvelope = EventEnvelope> {
  type: TEvent['event_type'];
  version: TEvent['event_version'];
  aggregateId: string;
  aggregateType: string;
  /** Position of this event among its aggregate's, from 1: readers use it to ignore older news. */
  aggregateVersion: number;
  data: Omit<TEvent, keyof EventEnvelope>;
}

/**
 * Queues messages in the caller's transaction: commands addressed to another service, and
 * events of a service whose state is not event-sourced. They are published if and only if
 * the transaction commits, in the order queued per key, continuing the current trace.
 * (An event-sourced aggregate's events go through EventStore.append, which queues them.)
 */
export class OutboxWriter {
  /** Sends commands; returns them as they travel. */
  async send(tx: EntityManager, commands: readonly NewCommand<PlatformCommand>[], causation: Causation): Promise<PlatformCommand[]> {
    const issuedAt = new Date().toISOString();
    const sent = commands.map(
      (c) =>
        ({
          command_id: randomUUID(),
          command_type: c.type,
          command_version: c.version,
          target_id: c.targetId,
          issued_at: issuedAt,
          correlation_id: causation.correlationId,
          causation_id: causation.causationId,
          ...c.data,
        }) as PlatformCommand,
    );
    await OutboxTable.enqueue(
      tx,
      sent.map((c) => this.entry('command', c.command_id, c.command_type, c.target_id, c, causation)),
    );
    return sent;
  }

  /** Publishes events; returns them as they travel. */
  async publish<TEvent extends EventEnvelope>(
    tx: EntityManager,
    events: readonly NewPublishedEvent<TEvent>[],
    causation: Causation,
  ): Promise<TEvent[]> {
    const occurredAt = new Date().toISOString();
    const published = events.map(
      (e) =>
        ({
          event_id: randomUUID(),
          event_type: e.type,
          event_version: e.version,
          aggregate_id: e.aggregateId,
          aggregate_type: e.aggregateType,
          aggregate_version: e.aggregateVersion,
          occurred_at: occurredAt,
          correlation_id: causation.correlationId,
          causation_id: causation.causationId,
          ...e.data,
        }) as unknown as TEvent,
    );
    await OutboxTable.enqueue(
      tx,
      published.map((e) => this.entry('event', e.event_id, e.event_type, e.aggregate_id, e, causation)),
    );
    return published;
  }

  private entry(
    kind: 'event' | 'command',
    messageId: string,
    type: string,
    key: string,
    payload: EventEnvelope | CommandEnvelope,
    causation: Causation,
  ): OutboxMessage {
    return {
      messageId,
      kind,
      type,
      key,
      correlationId: causation.correlationId,
      causationId: causation.causationId,
      payload: payload as unknown as Record<string, unknown>,
      traceContext: currentTraceCarrier(),
    };
  }
}
