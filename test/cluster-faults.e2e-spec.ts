import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterNode, clusterUp, killNode, nodeCtl, startApp, startNode, stopApp } from '../scripts/rabbitmq-cluster';
import { api } from './support/auth';
import { runCommands } from './support/load';
import { Platform, startPlatform } from './support/platform';
import { queryIn } from './support/postgres';
import { OrderLoad, combinedLoad, placeOrders, stockForLoad } from './support/order-load';
import { Reconciliation, reconcile } from './support/reconcile';
import { ServiceProcess } from './support/service-process';
import { waitFor } from './support/wait-for';

/**
 * Broker faults on a three-node RabbitMQ cluster (`npm run cluster:up` starts it; this
 * suite starts it too when it is down) with quorum queues, and two instances of each
 * service, the order saga's included: one in this process, one a real process. Each case puts a
 * load through, injects its fault a third of the way in, undoes it at two thirds, and
 * reconciles the event store against every read model and the mails. The platform is
 * shared: each reconciliation covers every case so far.
 *
 * `npm run test:cluster` (quick size); `FAULT_SOAK=1` for the soak size.
 */
const SOAK = process.env.FAULT_SOAK === '1';
const COMMANDS = SOAK ? 2_000 : 300;
/** Orders placed alongside each case's commands. */
const ORDERS = SOAK ? 400 : 60;
/** Todos created while two of three nodes are down, on top of the load. */
const OUTAGE_TODOS = 20;
jest.setTimeout(SOAK ? 900_000 : 300_000);

interface CaseReport {
  case: string;
  commands: number;
  seconds: number;
  /** From the fault to the first event applied by every consumer after it. */
  recoverySeconds: number;
  reconciliation: Reconciliation;
  notes: Record<string, unknown>;
}
const reports: CaseReport[] = [];
/** Every case's orders: each reconciliation covers all of them. */
const orderLoads: OrderLoad[] = [];

describe(`a RabbitMQ cluster losing nodes under load (${SOAK ? 'soak' : 'quick'}: ${COMMANDS} commands per case)`, () => {
  let nodes: ClusterNode[];
  let platform: Platform;
  let relayInstance: ServiceProcess;
  /** Every process spawned, the killed ones too (their logs stay counted). */
  const spawned: ServiceProcess[] = [];

  beforeAll(async () => {
    nodes = await clusterUp();
    platform = await startPlatform('cluster', {
      cluster: { node: nodes[0].name, nodeUrls: nodes.map((n) => n.url) },
      services: ['todo-service', 'notification-service', 'analytics-service', 'order-service', 'inventory-service'],
      skip: ['todo-service'],
    });
    // The todo-service process starts first and takes the relay; the one in this process stands by.
    relayInstance = await platform.spawn('todo-service');
    spawned.push(relayInstance);
    await platform.startService('todo-service');
    for (const service of ['notification-service', 'analytics-service', 'order-service', 'inventory-service'] as const) {
      spawned.push(await platform.spawn(service));
    }
  });

  afterAll(async () => {
    // Every node back first: a platform stopping against a cluster without a majority would wait for it.
    for (const node of nodes ?? []) await startNode(node);
    await platform?.stop();
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `cluster-faults-${SOAK ? 'soak' : 'quick'}.json`), JSON.stringify(reports, null, 2));
    const lines = reports.map(
      (r) =>
        `  ${r.case.padEnd(44)} ${String(r.commands).padStart(5)} cmds ${r.seconds.toFixed(1).padStart(6)} s  recovered in ${r.recoverySeconds.toFixed(2)} s  ` +
        `events ${r.reconciliation.events}, analytics ${r.reconciliation.analyticsApplied}, notifications ${r.reconciliation.notificationsApplied}, ` +
        `orders ${JSON.stringify(r.reconciliation.orders)}, mails ${r.reconciliation.mailsSent}, duplicates absorbed ${r.reconciliation.duplicatesSuppressed}, dead letters ${JSON.stringify(r.reconciliation.deadLetters)}, ` +
        `broker ${JSON.stringify(r.notes.broker)}`,
    );
    process.stdout.write(`\nCluster faults, reconciled:\n${lines.join('\n')}\n`);
  });

  const applied = async (schema: string) => (await queryIn<{ n: number }>(schema, 'SELECT count(*)::int AS n FROM inbox'))[0].n;

  /** Seconds from now until both consumers have applied an event they had not at the fault. */
  async function recovery(): Promise<() => Promise<number>> {
    const at = performance.now();
    const before = [await applied(platform.schemas.analytics), await applied(platform.schemas.notification)];
    return async () => {
      await waitFor(
        'every consumer to apply an event after the fault',
        async () => (await applied(platform.schemas.analytics)) > before[0] && (await applied(platform.schemas.notification)) > before[1],
        { timeoutMs: 120_000, intervalMs: 20 },
      );
      return (performance.now() - at) / 1000;
    };
  }

  /** The node leading the analytics work queue's Raft group, as the first node (up between cases) sees it. */
  async function leaderOfWorkQueues(): Promise<ClusterNode> {
    const rows = JSON.parse(
      await nodeCtl(nodes[0], 'list_queues', '-q', '-p', platform.vhost.vhost, 'name', 'leader', '--formatter', 'json'),
    ) as { name: string; leader: string }[];
    const leader = rows.find((r) => r.name === 'analytics-service')!.leader;
    return nodes.find((n) => n.name === leader)!;
  }

  /** A case that takes the work queues' leader node out with `takeOut`, and brings it back with `bringBack`. */
  async function leaderCase(name: string, takeOut: (node: ClusterNode) => Promise<void>, bringBack: (node: ClusterNode) => Promise<void>) {
    let leader: ClusterNode | undefined;
    await runCase(
      name,
      async () => {
        leader = await leaderOfWorkQueues();
        await takeOut(leader);
        return { node: leader.name };
      },
      () => bringBack(leader!),
    );
  }

  /** Every log line so far of every instance: the in-process ones and the spawned processes. */
  const allLogs = () => [...Object.values(platform.logs).flatMap((l) => l.lines), ...spawned.flatMap((p) => p.logs)];
  /** How the instances' connections and channels lived through the case. */
  const BROKER_EVENTS = {
    reconnects: 'AMQP disconnected; reconnecting',
    channelsClosedByBroker: 'AMQP channel closed by the broker',
    consumersCancelled: 'Consumer cancelled by the broker; consuming again',
  };
  const brokerEvents = () =>
    Object.fromEntries(Object.entries(BROKER_EVENTS).map(([key, msg]) => [key, allLogs().filter((l) => l.msg === msg).length]));

  async function runCase(
    name: string,
    fault: () => Promise<Record<string, unknown> | void>,
    undo: () => Promise<void>,
  ): Promise<CaseReport> {
    const startedAt = Date.now();
    const eventsBefore = brokerEvents();
    // Orders go through the saga alongside the todo load, on SKUs of this case's own.
    const placing = placeOrders(platform, await stockForLoad(platform, ORDERS, name.slice(0, 1).toUpperCase()), { orders: ORDERS });
    let faulted: Promise<Record<string, unknown> | void> | undefined;
    let undone: Promise<void> | undefined;
    let recovered: Promise<number> | undefined;
    const load = await runCommands(platform.todo.getHttpServer(), {
      commands: COMMANDS,
      onProgress: (done) => {
        if (done === Math.floor(COMMANDS / 3)) {
          faulted = recovery().then(async (measure) => {
            const notes = await fault();
            recovered = measure();
            return notes;
          });
        }
        // Undone even when injecting the fault failed, so a failing case leaves the cluster whole.
        if (done === Math.floor((2 * COMMANDS) / 3)) undone = faulted!.then(undo, undo);
      },
    });
    await undone;
    const notes = (await faulted) ?? {};
    const orderLoad = await placing;
    orderLoads.push(orderLoad);
    expect(Object.keys(load.statuses).filter((s) => !['200', '201', '409'].includes(s))).toEqual([]);
    expect(Object.keys(orderLoad.statuses)).toEqual(['201']);
    const reconciliation = await reconcile(platform, { orderLoad: combinedLoad(orderLoads), timeoutMs: SOAK ? 300_000 : 120_000 });
    const report = {
      case: name,
      commands: load.commands,
      seconds: (Date.now() - startedAt) / 1000,
      recoverySeconds: await recovered!,
      reconciliation,
      notes: {
        statuses: load.statuses,
        ...notes,
        broker: Object.fromEntries(Object.entries(brokerEvents()).map(([key, n]) => [key, n - eventsBefore[key]])),
      },
    };
    reports.push(report);
    return report;
  }

  it('a. the node leading the work queues stopped (stop_app) mid-load, then brought back', () =>
    leaderCase('a. queue leader node stopped', stopApp, startApp));

  it('b. a node’s Erlang VM killed with SIGKILL mid-load, then restarted', () =>
    leaderCase('b. node killed (kill -9)', killNode, startNode));

  it('c. two of three nodes stopped: the queues lose their majority, the outbox holds, nothing is lost when one returns', async () => {
    let down: ClusterNode[] = [];
    let heldInOutbox = 0;
    const report = await runCase(
      'c. two of three nodes stopped',
      async () => {
        down = [nodes[0], nodes[1]];
        for (const node of down) await stopApp(node);
        // Without a majority no publish is confirmed: the relay keeps the entries and commands still succeed.
        // (The load may have finished while the nodes stopped: these todos are created during the outage.)
        for (let i = 0; i < OUTAGE_TODOS; i++) {
          await api(platform.todo.getHttpServer())
            .post('/todos')
            .send({ title: `during the outage ${i}` })
            .expect(201);
        }
        await waitFor(
          'entries to wait in the outbox',
          async () => {
            heldInOutbox = (
              await queryIn<{ n: number }>(platform.schemas.todo, 'SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL')
            )[0].n;
            return heldInOutbox >= OUTAGE_TODOS;
          },
          { timeoutMs: 60_000 },
        );
        return { stopped: down.map((n) => n.name), heldInOutbox };
      },
      async () => {
        await startApp(down[0]);
        await startApp(down[1]);
      },
    );
    expect(report.notes.heldInOutbox).toBeGreaterThanOrEqual(OUTAGE_TODOS);
  });

  it('d. the todo-service instance whose relay is active killed mid-load: the other takes the relay over', async () => {
    await runCase(
      'd. active relay instance killed',
      async () => {
        relayInstance.kill('SIGKILL');
        await relayInstance.exited;
        await waitFor('the standby relay to take over', () => platform.logs.todo.find('Outbox relay active').length > 0, {
          timeoutMs: 60_000,
        });
        return { killed: 'todo-service (relay active)' };
      },
      async () => {
        relayInstance = await platform.spawn('todo-service');
        spawned.push(relayInstance);
      },
    );
  });
});
