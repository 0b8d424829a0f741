/**
 * Coupling: add a consumer (an audit log) while the producer runs under a steady load.
 *
 * V6: demo/audit-log.consumer.ts, one new file, started as a process of its own; it binds
 * its queue to the events exchange. Measured: todo-service's pid and start time before and
 * after, the requests answered while the consumer joined, and whether every event published
 * after the broker showed its consumer reached the audit log.
 * V5: the audit service is started, then the todo service restarted with the call to it
 * (SIGTERM, as a deployment does, and a new process on the same port). Measured: how long
 * nothing listened, the requests that failed meanwhile, and whether every request answered
 * after the restart reached the audit log.
 *
 * One file past 200 lines: both sides' runs and the report are one experiment, read top to bottom.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib from 'amqplib';
import { TEST_JWT_SECRET } from '../../test/support/auth';
import { waitFor } from '../../test/support/wait-for';
import { openV5Stack, startV5Chain } from '../v5/v5-stack';
import { onCleanup } from '../support/cleanup';
import { isAlive, postTodo, processStartTicks } from '../support/flows';
import { FlagOf } from '../support/demo-flags';
import { Options } from '../support/options';
import { compact, measureFor, toPoints, warmUp } from '../support/phases';
import { SETTINGS, connectDb, openPlatform } from '../support/platform';
import { DemoReport } from '../support/report';
import { LatencySummary, fmt, summarize } from '../support/stats';
import { startLoad } from '../support/steady-load';
import { timeChart } from '../support/svg-chart';

const ROOT = join(__dirname, '..', '..');
/** After the change, how long its effect on latency is still counted as "during the change". */
const SETTLE_MS = 2_000;

export async function coupling(options: Options<FlagOf<'coupling'>>): Promise<DemoReport> {
  const rate = options.num('rate');
  const beforeMs = options.num('seconds-before') * 1000;
  const afterMs = options.num('seconds-after') * 1000;
  const warmUpSeconds = options.num('warmup-seconds');

  const stack = await openPlatform('coupling');
  const db = await connectDb();
  const auditSchema = `demo_audit_${randomBytes(4).toString('hex')}`;
  const logDir = await mkdtemp(join(tmpdir(), 'demo-audit-'));
  let audit: ReturnType<typeof spawn> | undefined;
  const stopAudit = async () => {
    if (!audit || audit.exitCode !== null || audit.signalCode !== null) return;
    const exited = new Promise((resolve) => audit!.once('exit', resolve));
    audit.kill('SIGTERM');
    const timer = setTimeout(() => audit?.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const release = onCleanup(async () => {
    await stopAudit();
    await db.query(`DROP SCHEMA IF EXISTS "${auditSchema}" CASCADE`).catch(() => undefined);
  });
  try {
    // ---- V6: a new consumer joins ----------------------------------------------------
    const todo = stack.service('todo-service');
    const before = { pid: todo.pid, startTicks: processStartTicks(todo.pid) };
    await warmUp(rate, warmUpSeconds, (n) => postTodo(todo.url, stack.tokens.demo, `v6-coupling-warm-${n}`, `warm-up ${n}`));
    const v6Load = startLoad({
      rate,
      send: (n) => postTodo(todo.url, stack.tokens.demo, `v6-coupling-${n}`, `coupling ${n}`),
    });
    await measureFor(beforeMs);
    const joinBegin = v6Load.now();
    const logFd = openSync(join(logDir, 'audit-log.log'), 'a');
    try {
      audit = spawn(process.execPath, ['-r', join(ROOT, 'scripts', 'register-ts.js'), join(ROOT, 'demo', 'audit-log.consumer.ts')], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          AMQP_URL: stack.amqpUrl,
          DATABASE_URL: SETTINGS.databaseUrl,
          AUDIT_SCHEMA: auditSchema,
        },
        stdio: ['ignore', logFd, 'inherit'],
      });
    } finally {
      closeSync(logFd);
    }
    // Joined = the broker shows a consumer on the audit queue: from then on every event is routed to it.
    const amqp = await amqplib.connect(stack.amqpUrl);
    try {
      await waitFor(
        'the audit log to consume its queue',
        async () => {
          const channel = await amqp.createChannel();
          channel.on('error', () => undefined);
          try {
            return (await channel.checkQueue('audit-log')).consumerCount > 0;
          } finally {
            await channel.close().catch(() => undefined);
          }
        },
        { timeoutMs: 60_000, intervalMs: 20 },
      );
    } finally {
      await amqp.close();
    }
    const joinedAt = v6Load.now();
    const [{ now: joinedDbAt }] = (await db.query<{ now: Date }>('SELECT now()')).rows;
    await measureFor(afterMs);
    const v6Samples = await v6Load.stop();
    const after = { pid: todo.pid, startTicks: processStartTicks(todo.pid), alive: isAlive(todo.pid) && todo.isAlive() };
    const auditCounts = async () =>
      (
        await db.query<{ after_join: number; audited_after_join: number; before_join: number; audited_total: number; unsent: number }>(
          `SELECT count(*) FILTER (WHERE o.sent_at >= $1)::int AS after_join,
                  count(*) FILTER (WHERE o.sent_at >= $1 AND a.event_id IS NOT NULL)::int AS audited_after_join,
                  count(*) FILTER (WHERE o.sent_at < $1)::int AS before_join,
                  count(a.event_id)::int AS audited_total,
                  count(*) FILTER (WHERE o.sent_at IS NULL)::int AS unsent
             FROM "${stack.schemas.todo}".outbox o LEFT JOIN "${auditSchema}".audit_log a ON a.event_id = o.message_id
            WHERE o.message_kind = 'event'`,
          [joinedDbAt],
        )
      ).rows[0];
    const auditResult = await waitFor(
      'the audit log to hold every event published after it joined',
      async () => {
        const counts = await auditCounts();
        return counts.unsent === 0 && counts.audited_after_join === counts.after_join && counts;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    ).catch(async () => auditCounts());
    await stopAudit();
    await stack.stop('todo-service', 'notification-service', 'analytics-service');

    // ---- V5: the producer is edited and restarted ---------------------------------------
    const v5 = await openV5Stack({ databaseUrl: SETTINGS.databaseUrl, smtpUrl: stack.smtp.url, jwtSecret: TEST_JWT_SECRET });
    const releaseV5 = onCleanup(() => v5.dispose());
    let v5Result;
    try {
      await startV5Chain(v5);
      await v5.start('audit');
      const v5Before = v5.services.todo!.pid;
      await warmUp(rate, warmUpSeconds, (n) => postTodo(v5.url('todo'), stack.tokens.demo, `v5-coupling-warm-${n}`, `warm-up ${n}`));
      const v5Load = startLoad({
        rate,
        send: (n) => postTodo(v5.url('todo'), stack.tokens.demo, `v5-coupling-${n}`, `coupling ${n}`),
      });
      await measureFor(beforeMs);
      const restartBegin = v5Load.now();
      await v5.stop('todo');
      await v5.start('todo', { AUDIT_URL: v5.url('audit') });
      const restartReady = v5Load.now();
      await measureFor(afterMs);
      const v5Samples = await v5Load.stop();
      const answeredAfter = v5Samples.filter((s) => s.ok && s.at >= restartReady).map((s) => `v5-coupling-${s.n}`);
      const audited = await v5.query<{ n: number }>(`SELECT count(*)::int AS n FROM $schema.audit_log WHERE request_id = ANY($1)`, [
        answeredAfter,
      ]);
      v5Result = {
        pidBefore: v5Before,
        pidAfter: v5.services.todo!.pid,
        restartBegin,
        restartReady,
        samples: v5Samples,
        answeredAfter: answeredAfter.length,
        auditedAfter: audited[0].n,
      };
    } finally {
      await v5.dispose();
      releaseV5();
    }

    // ---- Report -------------------------------------------------------------------------
    const v6Window = summarize(v6Samples, joinBegin, joinedAt + SETTLE_MS);
    const v6Outside = summarize(v6Samples.filter((s) => s.at < joinBegin || s.at >= joinedAt + SETTLE_MS));
    const v5Window = summarize(v5Result.samples, v5Result.restartBegin, v5Result.restartReady + SETTLE_MS);
    const v5Outside = summarize(v5Result.samples.filter((s) => s.at < v5Result.restartBegin || s.at >= v5Result.restartReady + SETTLE_MS));
    const v5All = summarize(v5Result.samples);
    const v6All = summarize(v6Samples);
    const latencyRow = (name: string, v5s: LatencySummary, v6s: LatencySummary) => [
      name,
      `${fmt(v5s.p50)} / ${fmt(v5s.p99)} / ${fmt(v5s.max)}`,
      `${fmt(v6s.p50)} / ${fmt(v6s.p99)} / ${fmt(v6s.max)}`,
    ];
    const svgV5 = toPoints(v5Result.samples);
    const svgV6 = toPoints(v6Samples);
    return {
      claim: 'coupling',
      title: 'Coupling: adding an audit-log consumer while the producer runs',
      options: options.used,
      tables: [
        {
          caption: `Adding a consumer under a steady ${rate} POST /todos per second`,
          header: ['', 'V5 (HTTP calls)', 'V6 (events)'],
          rows: [
            [
              'files changed in the producer',
              '1 (demo/v5/todo.service.ts: the call to audit)',
              '0 (one new file: demo/audit-log.consumer.ts)',
            ],
            ['producer restarts', '1', after.startTicks === before.startTicks && after.pid === before.pid ? '0' : 'restarted!'],
            [
              'producer pid before → after',
              `${v5Result.pidBefore} → ${v5Result.pidAfter}`,
              `${before.pid} → ${after.pid} (start time ${before.startTicks} → ${after.startTicks} ticks, alive: ${after.alive})`,
            ],
            [
              'change took (SIGTERM → new process ready; process start → consuming)',
              `${fmt(v5Result.restartReady - v5Result.restartBegin)} ms`,
              `${fmt(joinedAt - joinBegin)} ms`,
            ],
            ['requests sent during the change (+2 s)', String(v5Window.requests), String(v6Window.requests)],
            [
              'failed during the change',
              `${v5Window.failed} (${fmt(v5Window.errorRatePct)} %)`,
              `${v6Window.failed} (${fmt(v6Window.errorRatePct)} %)`,
            ],
            ['failed in the whole run', `${v5All.failed} of ${v5All.requests}`, `${v6All.failed} of ${v6All.requests}`],
            latencyRow('latency during the change, p50 / p99 / max ms', v5Window, v6Window),
            latencyRow('latency otherwise, p50 / p99 / max ms', v5Outside, v6Outside),
            [
              'audit log: received of those due after it joined',
              `${v5Result.auditedAfter} of ${v5Result.answeredAfter} requests answered after the restart`,
              `${auditResult.audited_after_join} of ${auditResult.after_join} events published after it joined`,
            ],
            ['events from before it joined (not delivered; in GET /events for a backfill)', '–', String(auditResult.before_join)],
          ],
        },
      ],
      notes: [
        'Latency counts from each request’s scheduled send (open loop), so a refused or queued request shows.',
        'V5 runs one instance: behind a load balancer with two, a rolling restart could avoid the failures, but the producer is still edited and redeployed for every new consumer.',
        'V6 needs no change in any producer; the audit log uses the guest user of the demo vhost — in a deployment its broker user gets rights in the provisioning (broker-access.ts).',
      ],
      raw: {
        v6: { pidBefore: before, pidAfter: after, joinBegin, joinedAt, audit: auditResult, samples: compact(v6Samples) },
        v5: { ...v5Result, samples: compact(v5Result.samples) },
      },
      svg: timeChart({
        title: 'Adding a consumer under steady load: POST /todos latency',
        subtitle: `${rate} requests/s, open loop; shaded: the change (V5: restart of the todo service; V6: the audit log joining)`,
        xLabel: 'seconds since the load began',
        panels: [
          {
            title: 'V5: edit the todo service, restart it',
            yLabel: 'latency, ms (log)',
            scale: 'log',
            series: [{ name: 'V5 POST /todos', color: '#1f77b4', points: svgV5.points }],
            failures: svgV5.failures,
            bands: [{ from: v5Result.restartBegin / 1000, to: v5Result.restartReady / 1000, label: 'restart' }],
          },
          {
            title: 'V6: start demo/audit-log.consumer.ts beside it',
            yLabel: 'latency, ms (log)',
            scale: 'log',
            series: [{ name: 'V6 POST /todos', color: '#2ca02c', points: svgV6.points }],
            failures: svgV6.failures,
            bands: [{ from: joinBegin / 1000, to: joinedAt / 1000, label: 'audit log joining' }],
          },
        ],
      }),
    };
  } finally {
    await stopAudit();
    await db.query(`DROP SCHEMA IF EXISTS "${auditSchema}" CASCADE`).catch(() => undefined);
    release();
    await db.end();
    await rm(logDir, { recursive: true, force: true });
    await stack.dispose();
  }
}
