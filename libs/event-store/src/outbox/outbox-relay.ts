import { MessagePublisher, MessagingConventions, PLATFORM_TOPOLOGY, PublishOutcome, Topology } from '@todo/messaging';
import { Logger, PlatformMetrics } from '@todo/observability';
import { DispatchLoop, PassResult } from '../dispatch/dispatch-loop';
import { toOutgoingMessage } from './outbox-message';
import { OutboxEntry, OutboxTable } from './outbox-table';
import { RelayLeadership } from './relay-leadership';
import { RelayTelemetry } from './relay-telemetry';

export interface OutboxRelayOptions {
  /** PostgreSQL connection string (the relay holds a connection of its own). */
  databaseUrl: string;
  /** Schema holding the outbox table. */
  schema: string;
  publisher: MessagePublisher;
  logger: Logger;
  /** Where each kind of message goes; the platform's by default. */
  topology?: Topology;
  batchSize?: number;
  /** Safety net for a missed notification; the relay never busy-polls. */
  pollIntervalMs?: number;
  /** How long stop() keeps publishing what is already committed. */
  drainTimeoutMs?: number;
  metrics?: PlatformMetrics;
  /** The messaging conventions its spans and metrics follow; the ones emitted before unless told. */
  conventions?: MessagingConventions;
}

/**
 * Publishes committed outbox entries and marks each sent only after the broker confirmed
 * it. The loop: wait for a commit (LISTEN, with a slow poll as a safety net), and while
 * this relay leads (RelayLeadership), publish due entries (OutboxTable) batch by batch as
 * messages (toOutgoingMessage) through the publisher.
 *
 * - It selects every unsent entry in id order, not "id > last seen": a transaction that
 *   took a lower id but committed later is still picked up.
 * - `drained`: a batch smaller than the batch size went out, so nothing else was due when
 *   it was selected; anything committed since has sent a NOTIFY, which wakes the loop.
 * - While the broker confirms one batch, the next is selected and published; it leaves
 *   out every key with an entry in flight, so a message goes out only after the earlier
 *   ones of its key were confirmed (or in the same batch).
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly leadership: RelayLeadership;
  private readonly telemetry: RelayTelemetry;
  private readonly topology: Topology;
  private readonly loop: DispatchLoop;
  private brokerAwayLogged = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 1_000;
    this.topology = options.topology ?? PLATFORM_TOPOLOGY;
    this.telemetry = new RelayTelemetry(this.topology, options.logger, options.metrics, options.conventions);
    this.leadership = new RelayLeadership({ ...options, wake: () => this.loop.wake() });
    this.loop = new DispatchLoop({
      pollIntervalMs: options.pollIntervalMs ?? 2_000,
      // A standby sleeps until the poll: it may take over then.
      pass: async () => ((await this.leadership.claim()) ? this.relayBatches() : 'drained'),
      onError: async (error) => {
        this.telemetry.connectionLost(error);
        await this.leadership.release();
      },
      drain: () => this.drain(),
      stopped: () => this.leadership.release(),
    });
  }

  /** True while this relay holds the schema's relay lock and publishes. */
  get isActive(): boolean {
    return this.leadership.isLeader;
  }

  start(): void {
    this.loop.start();
  }

  /** Publishes what is committed (within the drain timeout), then disconnects. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Resolves the next time the relay finds the outbox empty (for tests and shutdown). */
  whenIdle(): Promise<void> {
    return this.loop.whenIdle();
  }

  private async drain(): Promise<void> {
    if (!this.leadership.isConnected || !this.leadership.isLeader || !this.options.publisher.isConnected()) return;
    const deadline = Date.now() + (this.options.drainTimeoutMs ?? 5_000);
    try {
      while (Date.now() < deadline && (await this.relayBatches()) === 'more');
    } catch (error) {
      this.telemetry.drainStopped(error);
    }
  }

  /** Publishes due entries batch by batch, the next in flight while one is confirmed, until none is left. */
  private async relayBatches(): Promise<PassResult> {
    const client = this.leadership.client;
    let entries = await OutboxTable.due(client, this.batchSize, []);
    if (entries.length === 0) return 'empty';
    if (!this.options.publisher.isConnected()) {
      if (!this.brokerAwayLogged) this.telemetry.brokerAway(entries.length);
      this.brokerAwayLogged = true;
      return 'failed';
    }
    this.brokerAwayLogged = false;
    let inFlight = this.publish(entries);
    // Only a batch selected with nothing left out tells that nothing else is due.
    let selectedWithExclusions = false;
    for (;;) {
      // A full batch means more may be waiting: select and send it while this one is confirmed.
      const next =
        entries.length === this.batchSize && !this.loop.isStopping
          ? await OutboxTable.due(client, this.batchSize, [...new Set(entries.map((e) => e.aggregate_id))])
          : [];
      const following = next.length > 0 ? this.publish(next) : undefined;
      const result = await this.settle(entries, await inFlight);
      if (!following) return result === 'more' && entries.length < this.batchSize && !selectedWithExclusions ? 'drained' : result;
      if (result === 'failed') {
        await this.settle(next, await following);
        return 'failed';
      }
      entries = next;
      inFlight = following;
      selectedWithExclusions = true;
    }
  }

  private async publish(entries: OutboxEntry[]): Promise<PublishOutcome[]> {
    const publishing = this.telemetry.startPublishing(entries);
    const outcomes = await this.options.publisher.publishAll(
      entries.map((e, i) => toOutgoingMessage(e, this.topology, publishing.traceHeaders[i])),
    );
    publishing.end(outcomes);
    return outcomes;
  }

  /** Marks the confirmed entries sent and backs off the others. */
  private async settle(entries: OutboxEntry[], outcomes: PublishOutcome[]): Promise<'more' | 'failed'> {
    const client = this.leadership.client;
    const sent: OutboxEntry[] = [];
    const failed: { entry: OutboxEntry; reason: string }[] = [];
    const blocked = new Set<string>();
    outcomes.forEach((outcome, i) => {
      const entry = entries[i];
      if (outcome.status !== 'confirmed') {
        failed.push({ entry, reason: `${outcome.status}: ${outcome.reason}` });
        blocked.add(entry.aggregate_id);
      } else if (!blocked.has(entry.aggregate_id)) {
        sent.push(entry);
      }
      // A confirmed entry behind a failed one of its key stays unsent and goes out again
      // after it: consumers see it twice (the inbox absorbs that), in order last.
    });
    if (sent.length > 0) {
      await OutboxTable.markSent(
        client,
        sent.map((e) => e.id),
      );
      this.telemetry.published(sent);
    }
    if (failed.length === 0) return 'more';
    await OutboxTable.backOff(
      client,
      failed.map((f) => f.entry.id),
      failed[0].reason,
    );
    this.telemetry.notPublished(failed);
    // Only when nothing went through is the broker itself in trouble: then pause.
    return sent.length === 0 ? 'failed' : 'more';
  }
}
