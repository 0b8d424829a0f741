/**
 * Failure isolation: the notification service is down for a while under a steady load.
 * V6: notification-service is stopped (SIGTERM) and started again; measured: todo-service's
 * latency and errors meanwhile, the backlog in the `notification-service` queue (asked of
 * the broker every 250 ms), the time from its return until the queue is empty and every
 * mail arrived, and analytics counting every todo all along.
 * V5: the notification service is stopped and started the same way; measured: the todo
 * service's errors meanwhile, and what is lost (mails, and the analytics counts the chain
 * never reached).
 *
 * One file past 200 lines: both sides' runs and the report are one experiment, read top to bottom.
 */
import { performance } from 'node:perf_hooks';
import { NOTIFICATION_QUEUE } from '@todo/messaging';
import { TEST_JWT_SECRET } from '../../test/support/auth';
import { waitFor } from '../../test/support/wait-for';
import { openV5Stack, startV5Chain } from '../v5/v5-stack';
import { onCleanup } from '../support/cleanup';
import { postTodo } from '../support/flows';
import { FlagOf } from '../support/demo-flags';
import { Options } from '../support/options';
import { compact, measureFor, toPoints, warmUp } from '../support/phases';
import { SETTINGS, connectDb, openPlatform, queueWatcher } from '../support/platform';
import { DemoReport } from '../support/report';
import { LatencySummary, fmt, percentile, summarize } from '../support/stats';
import { Sample, startLoad } from '../support/steady-load';
import { timeChart } from '../support/svg-chart';

interface Outcome {
  samples: Sample[];
  downAt: number;
  upAt: number;
  before: LatencySummary;
  during: LatencySummary;
  after: LatencySummary;
  saved: number;
  mailed: number;
  counted: number;
}

export async function isolation(options: Options<FlagOf<'isolation'>>): Promise<DemoReport> {
  const rate = options.num('rate');
  const beforeMs = options.num('seconds-before') * 1000;
  const outageMs = options.num('outage-seconds') * 1000;
  const afterMs = options.num('seconds-after') * 1000;
  const warmUpSeconds = options.num('warmup-seconds');
  const drainWaitMs = options.num('drain-wait-seconds') * 1000;

  const stack = await openPlatform('isolation');
  const sink = stack.smtp;
  const db = await connectDb();
  const watcher = await queueWatcher(stack);
  const depth: { t: number; ready: number }[] = [];
  let sampler: NodeJS.Timeout | undefined;
  let v6: Outcome & { drainMs: number; lastMailMs: number; peakBacklog: number; depthProbeFailures: string[] };
  let v5: Outcome;
  const mailedOf = (samples: Sample[], tag: string) => samples.filter((s) => sink.received.has(`${tag}-${s.n}`)).length;
  const phases = (samples: Sample[], downAt: number, upAt: number) => ({
    before: summarize(samples, 0, downAt),
    during: summarize(samples, downAt, upAt),
    after: summarize(samples, upAt),
  });
  try {
    // ---- V6 ----------------------------------------------------------------------------
    const todoUrl = stack.service('todo-service').url;
    const tag6 = 'v6-isolation';
    await warmUp(rate, warmUpSeconds, (n) => postTodo(todoUrl, stack.tokens.demo, `${tag6}-warm-${n}`, `warm-up ${n}`));
    const load6 = startLoad({ rate, send: (n) => postTodo(todoUrl, stack.tokens.demo, `${tag6}-${n}`, `isolation ${n}`) });
    const sample = () => {
      const t = load6.now();
      void watcher.depth(NOTIFICATION_QUEUE.queue).then(
        (ready) => depth.push({ t, ready }),
        (error: unknown) => watcher.failures.push(error instanceof Error ? error.message : String(error)),
      );
    };
    sampler = setInterval(sample, 250);
    await measureFor(beforeMs);
    const downAt = load6.now();
    await stack.stop('notification-service');
    await measureFor(Math.max(0, outageMs - (load6.now() - downAt)));
    await stack.start('notification-service');
    const upAt = load6.now();
    await measureFor(afterMs);
    const samples6 = await load6.stop();
    const upAbs = load6.startedAt + upAt;
    const due = samples6.filter((s) => s.ok).length;
    await waitFor(
      'the notification queue to drain and every mail to arrive',
      async () => (await watcher.depth(NOTIFICATION_QUEUE.queue)) === 0 && mailedOf(samples6, tag6) >= due,
      { timeoutMs: drainWaitMs, intervalMs: 100 },
    ).catch(() => undefined);
    const drainedAbs = performance.now();
    clearInterval(sampler);
    sampler = undefined;
    const emptyAfterUp = depth.find((d) => d.t > upAt && d.ready === 0);
    // The backlog's mails: those of the requests sent while notification-service was down.
    const arrivals = samples6
      .filter((s) => s.at >= downAt && s.at < upAt)
      .map((s) => sink.received.get(`${tag6}-${s.n}`))
      .filter((at): at is number => at !== undefined);
    const ids6 = samples6.filter((s) => s.id !== undefined).map((s) => s.id!);
    const counted6 = await waitFor(
      'analytics to count every todo',
      async () => {
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${stack.schemas.analytics}".todo_facts WHERE todo_id = ANY($1)`,
          [ids6],
        );
        return rows[0].n >= ids6.length && rows[0].n;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    ).catch(
      async () =>
        (
          await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${stack.schemas.analytics}".todo_facts WHERE todo_id = ANY($1)`, [
            ids6,
          ])
        ).rows[0].n,
    );
    v6 = {
      samples: samples6,
      downAt,
      upAt,
      ...phases(samples6, downAt, upAt),
      saved: ids6.length,
      mailed: mailedOf(samples6, tag6),
      counted: counted6,
      drainMs: emptyAfterUp ? emptyAfterUp.t - upAt : drainedAbs - upAbs,
      depthProbeFailures: watcher.failures.slice(0, 5),
      lastMailMs: arrivals.length ? Math.max(...arrivals) - upAbs : NaN,
      peakBacklog: Math.max(0, ...depth.map((d) => d.ready)),
    };
    await stack.stop('todo-service', 'notification-service', 'analytics-service');

    // ---- V5 ----------------------------------------------------------------------------
    const v5Stack = await openV5Stack({ databaseUrl: SETTINGS.databaseUrl, smtpUrl: sink.url, jwtSecret: TEST_JWT_SECRET });
    const releaseV5 = onCleanup(() => v5Stack.dispose());
    try {
      await startV5Chain(v5Stack);
      const tag5 = 'v5-isolation';
      const url = v5Stack.url('todo');
      await warmUp(rate, warmUpSeconds, (n) => postTodo(url, stack.tokens.demo, `${tag5}-warm-${n}`, `warm-up ${n}`));
      const counter = async () =>
        (await v5Stack.query<{ n: number }>(`SELECT coalesce(sum(todos_created), 0)::int AS n FROM $schema.counters`))[0].n;
      const countedBefore = await counter();
      const load5 = startLoad({ rate, send: (n) => postTodo(url, stack.tokens.demo, `${tag5}-${n}`, `isolation ${n}`) });
      await measureFor(beforeMs);
      const down5 = load5.now();
      await v5Stack.stop('notification');
      await measureFor(Math.max(0, outageMs - (load5.now() - down5)));
      await v5Stack.start('notification');
      const up5 = load5.now();
      await measureFor(afterMs);
      const samples5 = await load5.stop();
      const saved = (await v5Stack.query<{ n: number }>(`SELECT count(*)::int AS n FROM $schema.todos WHERE title LIKE 'isolation %'`))[0]
        .n;
      v5 = {
        samples: samples5,
        downAt: down5,
        upAt: up5,
        ...phases(samples5, down5, up5),
        saved,
        mailed: mailedOf(samples5, tag5),
        counted: (await counter()) - countedBefore,
      };
    } finally {
      await v5Stack.dispose();
      releaseV5();
    }
  } finally {
    if (sampler) clearInterval(sampler);
    await watcher.close();
    await db.end();
    await stack.dispose();
  }

  const latency = (s: LatencySummary) => `${fmt(s.p50)} / ${fmt(s.p99)}`;
  const failedLatency = (o: Outcome) => {
    const ms = o.samples.filter((s) => !s.ok && s.at >= o.downAt && s.at < o.upAt).map((s) => s.latencyMs);
    return ms.length ? `${fmt(percentile(ms, 50))} / ${fmt(percentile(ms, 99))}` : '– (none failed)';
  };
  const errors = (s: LatencySummary) => `${s.failed} of ${s.requests} (${fmt(s.errorRatePct)} %)`;
  const p5 = toPoints(v5.samples);
  const p6 = toPoints(v6.samples);
  return {
    claim: 'isolation',
    title: `Failure isolation: the notification service down for ${outageMs / 1000} s under load`,
    options: options.used,
    tables: [
      {
        caption: `POST /todos at a steady ${rate}/s; notification stopped (SIGTERM) ${beforeMs / 1000} s in, started again ${outageMs / 1000} s later`,
        header: ['', 'V5 (HTTP calls)', 'V6 (events)'],
        rows: [
          ['failed requests before the outage', errors(v5.before), errors(v6.before)],
          ['failed requests during the outage', errors(v5.during), errors(v6.during)],
          ['failed requests after it came back', errors(v5.after), errors(v6.after)],
          ['latency of successful answers, before: p50 / p99 ms', latency(v5.before), latency(v6.before)],
          ['latency of successful answers, during: p50 / p99 ms', latency(v5.during), latency(v6.during)],
          ['latency of successful answers, after: p50 / p99 ms', latency(v5.after), latency(v6.after)],
          ['latency of failed answers, during: p50 / p99 ms', failedLatency(v5), failedLatency(v6)],
          ['outage as measured (stop → started again)', `${fmt((v5.upAt - v5.downAt) / 1000)} s`, `${fmt((v6.upAt - v6.downAt) / 1000)} s`],
          ['backlog held in the notification queue, peak (broker, ready messages)', '– (no queue)', String(v6.peakBacklog)],
          ['time to drain after it came back (queue empty)', '– (nothing to drain)', `${fmt(v6.drainMs / 1000)} s`],
          ['last mail of the outage’s requests, after it came back', '– (lost)', `${fmt(v6.lastMailMs / 1000)} s`],
          ['todos saved', String(v5.saved), String(v6.saved)],
          ['mails received for them', `${v5.mailed} (${v5.saved - v5.mailed} lost)`, `${v6.mailed} (${v6.saved - v6.mailed} missing)`],
          ['analytics counted', `${v5.counted} (${v5.saved - v5.counted} never counted)`, `${v6.counted} of ${v6.saved}`],
        ],
      },
    ],
    notes: [
      'V5 saves the todo before calling notification, so a request that fails left a todo whose mail and analytics count never happen (its answer is a 502 with the todo id); retrying it creates a second todo.',
      'V6 answers once the todo and its outbox entry are committed; notification-service’s queue holds its events until it is back, and analytics has a queue of its own.',
      'V6 keeps the events across the stop: notification-service is stopped gracefully, as a deployment or a crash-restart would; with SIGKILL a mail being sent waits for its 60 s lease.',
    ],
    raw: {
      v5: { ...v5, samples: compact(v5.samples) },
      v6: { ...v6, samples: compact(v6.samples), queueDepth: depth },
    },
    svg: timeChart({
      title: 'POST /todos latency with the notification service down',
      subtitle: `${rate} requests/s, open loop; shaded: notification stopped; red ticks: failed requests`,
      xLabel: 'seconds since the load began',
      panels: [
        {
          title: 'V5: todo service calls notification over HTTP',
          yLabel: 'latency, ms (log)',
          scale: 'log',
          series: [{ name: 'V5 POST /todos (successful)', color: '#1f77b4', points: p5.points }],
          failures: p5.failures,
          bands: [{ from: v5.downAt / 1000, to: v5.upAt / 1000, label: 'notification down' }],
        },
        {
          title: 'V6: todo-service publishes events',
          yLabel: 'latency, ms (log)',
          scale: 'log',
          series: [{ name: 'V6 POST /todos (successful)', color: '#2ca02c', points: p6.points }],
          failures: p6.failures,
          bands: [{ from: v6.downAt / 1000, to: v6.upAt / 1000, label: 'notification-service down' }],
        },
        {
          title: 'V6: messages waiting in the notification-service queue (broker)',
          yLabel: 'ready messages',
          scale: 'linear',
          series: [{ name: 'queue depth', color: '#ff7f0e', kind: 'line', points: depth.map((d) => ({ x: d.t / 1000, y: d.ready })) }],
          bands: [{ from: v6.downAt / 1000, to: v6.upAt / 1000, label: 'notification-service down' }],
        },
      ],
    }),
  };
}
