/**
 * The price of replication: the same messaging load (MessagePublisher with confirms →
 * the platform's consumer, acks, no database) on
 *
 *   classic   one node (the machine's RabbitMQ), classic queues — the baseline
 *   quorum    the same node, quorum queues (a Raft log of one: its writes without replicas)
 *   cluster   three nodes (scripts/rabbitmq-cluster.ts, started when down), quorum queues
 *             replicated on all three; the publisher and consumer on the first node
 *
 * Reports events/s (median of the runs) and send → handler p50/p99 at a steady 1,000/s,
 * each against the classic node in the same run. No target: the ratios are what
 * replication costs here, stated in docs/running-at-scale.md.
 *
 *   npm run bench                      (BENCH_ONLY=replication for this one)
 */
import { QueueSettings, queueSettings } from '@todo/messaging';
import { clusterUp } from '../scripts/rabbitmq-cluster';
import { TestBroker, createTestVhost } from '../test/support/rabbitmq';
import { IN_FLIGHT, Measured, OURS, PREFETCH, RATE, measure, messagesPerRun, ours } from './messaging.bench';
import { BenchCase, BenchRow, BenchSettings } from './support/bench-case';
import { median } from './support/harness';

const GROUP = '8 replication';

interface Setup {
  key: string;
  name: string;
  queues: QueueSettings;
  broker?: () => Promise<TestBroker>;
}

const SETUPS: Setup[] = [
  { key: 'classic', name: '1 node, classic queues', queues: queueSettings('classic') },
  { key: 'quorum', name: '1 node, quorum queues', queues: queueSettings('quorum') },
  {
    key: 'cluster',
    name: '3-node cluster, quorum queues',
    queues: queueSettings('quorum'),
    broker: async () => {
      const nodes = await clusterUp();
      return { node: nodes[0].name, nodeUrls: nodes.map((n) => n.url) };
    },
  },
];

async function replication(settings: BenchSettings): Promise<BenchRow[]> {
  const results: Record<string, Measured> = {};
  for (const setup of SETUPS) {
    const broker = await setup.broker?.();
    const vhost = await createTestVhost(`bench-${setup.key}`, { topology: OURS, queues: setup.queues, broker });
    try {
      const contender = await ours(vhost.url, setup.queues);
      try {
        results[setup.key] = await measure(contender, settings);
      } finally {
        await contender.close();
      }
    } finally {
      await vhost.dispose();
    }
  }
  const baseline = SETUPS[0];
  const note = `${messagesPerRun(settings)} × ~350-byte persistent messages per run, ~${IN_FLIGHT} unconfirmed, prefetch ${PREFETCH}`;
  const rate = (s: Setup) => ({ name: s.name, value: median(results[s.key].throughput), samples: results[s.key].throughput });
  const rows: BenchRow[] = SETUPS.map((s) => ({
    group: GROUP,
    unit: 'events/s',
    note,
    ...rate(s),
    ...(s !== baseline && { baseline: rate(baseline) }),
  }));
  const latencyNote = `at a steady ${RATE}/s for ${settings.smoke ? 1 : 5} s, send → handler, one process`;
  for (const p of ['p50', 'p99'] as const) {
    const latency = (s: Setup) => ({
      name: `${s.name}, ${p} at ${RATE.toLocaleString('en-US')}/s`,
      value: results[s.key][p],
      samples: [results[s.key][p]],
    });
    for (const s of SETUPS)
      rows.push({ group: GROUP, unit: 'ms', note: latencyNote, ...latency(s), ...(s !== baseline && { baseline: latency(baseline) }) });
  }
  return rows;
}

export const replicationCases: BenchCase[] = [{ id: 'replication', run: replication }];
