import { createDataSource, migrate } from '@todo/database';
import { JourneyStep } from '@todo/observability';
import { DataSource } from 'typeorm';
import { captureLogs } from '../../../../test/support/logs';
import { TEST_DATABASE_URL, dropSchemas, testSchema } from '../../../../test/support/postgres';
import { startTcpProxy } from '../../../../test/support/tcp-proxy';
import { waitFor } from '../../../../test/support/wait-for';
import { JourneySteps1764117000000 } from '../migrations/1764117000000-journey-steps';
import { JourneyLog } from './journey-log';

const step = (n: number, overrides: Partial<JourneyStep> = {}): JourneyStep => ({
  kind: 'message',
  correlationId: 'flow-1',
  userId: 7,
  name: 'analytics-service',
  messageId: `m-${n}`,
  messageType: 'todo.created',
  attempt: 1,
  outcome: 'processed',
  startedAt: new Date(Date.UTC(2026, 11, 3, 12, 0, 0, n)),
  durationMs: 1.5,
  ...overrides,
});

describe('JourneyLog on PostgreSQL', () => {
  const logs = captureLogs('analytics-service');
  const schema = testSchema('journey_log');
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = createDataSource({ url: TEST_DATABASE_URL, schema, migrations: [JourneySteps1764117000000], poolSize: 2 });
    await dataSource.initialize();
    await migrate(dataSource, schema, logs.logger);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await dropSchemas(schema);
  });

  it('writes steps in the background, reads them back oldest first, and only for their user', async () => {
    const log = new JourneyLog(dataSource, 'analytics-service', logs.logger, { flushIntervalMs: 20 });
    log.record(step(2, { outcome: 'processed', attempt: 2 }));
    log.record(step(1, { outcome: 'retry', detail: 'Error: planned' }));
    log.record(step(3, { userId: 8 }));
    await waitFor('the steps written', async () => (await dataSource.query(`SELECT count(*)::int AS n FROM journey_steps`))[0].n === 3);

    const mine = await log.read('flow-1', 7);
    expect(mine.map((s) => [s.attempt, s.outcome, s.detail])).toEqual([
      [1, 'retry', 'Error: planned'],
      [2, 'processed', null],
    ]);
    expect(mine[0]).toMatchObject({
      service: 'analytics-service',
      kind: 'message',
      started_at: '2026-12-03T12:00:00.001Z',
      duration_ms: 1.5,
    });
    expect(await log.read('flow-1', undefined)).toHaveLength(3);
    expect(await log.read('another-flow', undefined)).toEqual([]);
    await log.onApplicationShutdown();
  });

  it('cuts a step to the columns, so that no value can fail its batch', async () => {
    const log = new JourneyLog(dataSource, 'analytics-service', logs.logger, { flushIntervalMs: 20 });
    log.record(step(20, { correlationId: 'flow-wide', userId: 2 ** 40, messageType: 'x'.repeat(300), detail: 'y'.repeat(5_000) }));
    log.record(step(21, { correlationId: 'flow-wide', attempt: -3, durationMs: Number.NaN }));
    const steps = await log.read('flow-wide', undefined);
    expect(steps).toHaveLength(2);
    expect(steps[0]).toMatchObject({ message_type: 'x'.repeat(100), attempt: 1 });
    expect(steps[0].detail).toHaveLength(2_000);
    expect(steps[1]).toMatchObject({ attempt: null, duration_ms: 0 });
    // The user id did not fit an INTEGER: the step is kept, as nobody's but an admin's.
    expect(await log.read('flow-wide', 2 ** 40)).toEqual([]);
    expect(logs.find('Journey steps refused; dropped')).toEqual([]);
    await log.onApplicationShutdown();
  });

  it('answers a read while steps keep coming, writing only those recorded before it', async () => {
    const log = new JourneyLog(dataSource, 'analytics-service', logs.logger, { flushIntervalMs: 1, maxBatch: 5 });
    let n = 100;
    const traffic = setInterval(() => {
      for (let i = 0; i < 2; i++) log.record(step(n++, { correlationId: 'flow-busy' }));
    }, 1);
    try {
      await waitFor('a few steps written', async () => (await log.read('flow-busy', undefined)).length > 50);
    } finally {
      clearInterval(traffic);
    }
    await log.onApplicationShutdown();
    const [{ written }] = await dataSource.query(`SELECT count(*)::int AS written FROM journey_steps WHERE correlation_id = 'flow-busy'`);
    expect(written).toBe(n - 100);
  });

  it('keeps the steps while the database is away, tries again less and less often, and writes them once it is back', async () => {
    const url = new URL(TEST_DATABASE_URL);
    const proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.port = String(proxy.port);
    const cutOff = createDataSource({ url: url.toString(), schema, migrations: [], poolSize: 1 });
    await cutOff.initialize();
    const traffic: { timer?: NodeJS.Timeout } = {};
    try {
      const log = new JourneyLog(cutOff, 'analytics-service', logs.logger, { flushIntervalMs: 20, maxBatch: 10 });
      proxy.cut();
      let n = 1_000;
      // Steady traffic with more than a batch waiting: it must not turn into a write per step.
      traffic.timer = setInterval(() => {
        for (let i = 0; i < 5; i++) log.record(step(n++, { correlationId: 'flow-away' }));
      }, 5);
      const failures = await waitFor('two failed writes', () => {
        const found = logs.find('Journey steps not written yet');
        return found.length >= 2 && found;
      });
      expect(failures.slice(0, 2).map((line) => line.retry_in_ms)).toEqual([1_000, 2_000]);
      const at = (line: Record<string, unknown>) => new Date(line.time as string | number).getTime();
      expect(at(failures[1]) - at(failures[0])).toBeGreaterThanOrEqual(900);
      clearInterval(traffic.timer);
      proxy.restore();
      const recorded = n - 1_000;
      await waitFor(
        'every kept step written',
        async () =>
          (await dataSource.query(`SELECT count(*)::int AS n FROM journey_steps WHERE correlation_id = 'flow-away'`))[0].n === recorded,
        { timeoutMs: 15_000 },
      );
      await log.onApplicationShutdown();
    } finally {
      clearInterval(traffic.timer);
      await cutOff.destroy();
      await proxy.close();
    }
  });
});
