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

  it('keeps the steps while the database is away and writes them once it is back', async () => {
    const url = new URL(TEST_DATABASE_URL);
    const proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.port = String(proxy.port);
    const cutOff = createDataSource({ url: url.toString(), schema, migrations: [], poolSize: 1 });
    await cutOff.initialize();
    try {
      const log = new JourneyLog(cutOff, 'analytics-service', logs.logger, { flushIntervalMs: 20 });
      proxy.cut();
      for (let n = 10; n < 15; n++) log.record(step(n, { correlationId: 'flow-away' }));
      await waitFor('a failed write', () => logs.find('Journey steps not written yet').length > 0);
      proxy.restore();
      await waitFor(
        'the kept steps written',
        async () => (await dataSource.query(`SELECT count(*)::int AS n FROM journey_steps WHERE correlation_id = 'flow-away'`))[0].n === 5,
        { timeoutMs: 15_000 },
      );
      await log.onApplicationShutdown();
    } finally {
      await cutOff.destroy();
      await proxy.close();
    }
  });
});
