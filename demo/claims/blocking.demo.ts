/**
 * Blocking: POST /todos latency and throughput while the mail step is slow. The SMTP sink
 * both sides mail through answers each DATA `--delay-ms` late (bench/support/smtp-sink.ts);
 * each side runs the same open-loop load without and then with the delay, one side at a
 * time. V6 keeps answering while mails wait in its table; the demo then waits for every
 * mail to arrive and reports how long after the load that was.
 */
import { TEST_JWT_SECRET } from '../../test/support/auth';
import { waitFor } from '../../test/support/wait-for';
import { openV5Stack, startV5Chain } from '../v5/v5-stack';
import { onCleanup } from '../support/cleanup';
import { postTodo } from '../support/flows';
import { HttpAnswer } from '../support/http-client';
import { FlagOf } from '../support/demo-flags';
import { Options } from '../support/options';
import { compact, measureFor, toPoints, warmUp } from '../support/phases';
import { SETTINGS, openPlatform } from '../support/platform';
import { DemoReport } from '../support/report';
import { LatencySummary, fmt, summarize } from '../support/stats';
import { Sample, startLoad } from '../support/steady-load';
import { timeChart } from '../support/svg-chart';

interface Phase {
  system: 'V5' | 'V6';
  delayMs: number;
  samples: Sample[];
  summary: LatencySummary;
  mailsDue: number;
  mailsReceived: number;
  /** From the last answer to the last mail's arrival; negative when every mail came before its answer. */
  lastMailAfterLoadMs: number;
}

export async function blocking(options: Options<FlagOf<'blocking'>>): Promise<DemoReport> {
  const rate = options.num('rate');
  const seconds = options.num('seconds');
  const delayMs = options.num('delay-ms');
  const warmUpSeconds = options.num('warmup-seconds');
  const mailWaitMs = options.num('mail-wait-seconds') * 1000;
  const phases: Phase[] = [];

  const stack = await openPlatform('blocking');
  const sink = stack.smtp;
  const runPhase = async (system: Phase['system'], delay: number, send: (id: string, n: number) => Promise<HttpAnswer>) => {
    sink.setDataDelay(delay);
    const tag = `${system.toLowerCase()}-blocking-${delay}`;
    const load = startLoad({ rate, send: (n) => send(`${tag}-${n}`, n) });
    await measureFor(seconds * 1000);
    const samples = await load.stop();
    const lastAnswer = load.startedAt + Math.max(...samples.map((s) => s.at + s.latencyMs));
    // A request that failed may still have mailed (V5: the call timed out, the mail went later): count every id.
    const ids = samples.map((s) => `${tag}-${s.n}`);
    const due = samples.filter((s) => s.ok).length;
    const received = () => ids.filter((id) => sink.received.has(id)).length;
    await waitFor(`the ${system} mails of the ${delay} ms phase`, () => received() >= due, { timeoutMs: mailWaitMs, intervalMs: 50 }).catch(
      () => undefined,
    );
    const arrivals = ids.map((id) => sink.received.get(id)).filter((at): at is number => at !== undefined);
    phases.push({
      system,
      delayMs: delay,
      samples,
      summary: summarize(samples),
      mailsDue: due,
      mailsReceived: received(),
      lastMailAfterLoadMs: arrivals.length ? Math.max(...arrivals) - lastAnswer : NaN,
    });
    sink.setDataDelay(0);
  };

  try {
    const todoUrl = stack.service('todo-service').url;
    const v6Send = (id: string, n: number) => postTodo(todoUrl, stack.tokens.demo, id, `blocking ${n}`);
    await warmUp(rate, warmUpSeconds, (n) => v6Send(`v6-blocking-warm-${n}`, n));
    await runPhase('V6', 0, v6Send);
    await runPhase('V6', delayMs, v6Send);
    await stack.stop('todo-service', 'notification-service', 'analytics-service');

    const v5 = await openV5Stack({ databaseUrl: SETTINGS.databaseUrl, smtpUrl: sink.url, jwtSecret: TEST_JWT_SECRET });
    const releaseV5 = onCleanup(() => v5.dispose());
    try {
      await startV5Chain(v5);
      const v5Send = (id: string, n: number) => postTodo(v5.url('todo'), stack.tokens.demo, id, `blocking ${n}`);
      await warmUp(rate, warmUpSeconds, (n) => v5Send(`v5-blocking-warm-${n}`, n));
      await runPhase('V5', 0, v5Send);
      await runPhase('V5', delayMs, v5Send);
    } finally {
      await v5.dispose();
      releaseV5();
    }
  } finally {
    sink.setDataDelay(0);
    await stack.dispose();
  }

  const find = (system: Phase['system'], delay: number) => phases.find((p) => p.system === system && p.delayMs === delay)!;
  const order = [find('V5', 0), find('V5', delayMs), find('V6', 0), find('V6', delayMs)];
  const cells = (pick: (p: Phase) => string) => order.map(pick);
  const statusCounts = (p: Phase) =>
    Object.entries(
      p.samples
        .filter((s) => !s.ok)
        .reduce<Record<string, number>>(
          (acc, s) => ({ ...acc, [s.status || s.error || '?']: (acc[s.status || s.error || '?'] ?? 0) + 1 }),
          {},
        ),
    )
      .map(([k, v]) => `${v}× ${k}`)
      .join(', ') || '–';
  const chartPhase = (p: Phase) => toPoints(p.samples);
  return {
    claim: 'blocking',
    title: `Blocking: POST /todos while the mail step is slow (SMTP answers DATA after ${delayMs} ms)`,
    options: options.used,
    tables: [
      {
        caption: `POST /todos at a steady ${rate}/s for ${seconds} s per phase (open loop; latency from the scheduled send)`,
        header: ['', 'V5, no delay', `V5, mail +${delayMs} ms`, 'V6, no delay', `V6, mail +${delayMs} ms`],
        rows: [
          ['requests', ...cells((p) => String(p.summary.requests))],
          ['failed', ...cells((p) => `${p.summary.failed} (${fmt(p.summary.errorRatePct)} %)`)],
          ['failures by status', ...cells(statusCounts)],
          ['latency p50, ms', ...cells((p) => fmt(p.summary.p50))],
          ['latency p95, ms', ...cells((p) => fmt(p.summary.p95))],
          ['latency p99, ms', ...cells((p) => fmt(p.summary.p99))],
          ['latency max, ms', ...cells((p) => fmt(p.summary.max))],
          ['throughput, successful answers/s', ...cells((p) => fmt(p.summary.throughput))],
          ['mails received (of successful requests)', ...cells((p) => `${p.mailsReceived} (${p.mailsDue})`)],
          ['last mail, after the last answer', ...cells((p) => `${fmt(p.lastMailAfterLoadMs / 1000)} s`)],
        ],
      },
    ],
    notes: [
      'Both sides send mail through one pooled nodemailer transport of 4 connections, so a slow SMTP server caps mail at 4 / delay per second on both.',
      'V5 calls notification then analytics before answering, with a 5 s timeout per call: a mail queue longer than that turns into 502s, and the mail may still be sent after the client was told it failed.',
      'V6 answers once the todo and its outbox entry are committed; the mail is sent later by notification-service from its own table, which the last row times.',
    ],
    raw: phases.map((p) => ({ ...p, samples: compact(p.samples) })),
    svg: timeChart({
      title: `POST /todos latency while SMTP answers DATA ${delayMs} ms late`,
      subtitle: `${rate} requests/s, open loop, ${seconds} s; each dot one request, red ticks failed requests`,
      xLabel: 'seconds since the phase began',
      panels: [
        {
          title: `V5 (synchronous HTTP chain): no delay (grey) and mail +${delayMs} ms (blue)`,
          yLabel: 'latency, ms (log)',
          scale: 'log',
          series: [
            { name: 'V5, no delay', color: '#aaaaaa', points: chartPhase(order[0]).points },
            { name: `V5, mail +${delayMs} ms`, color: '#1f77b4', points: chartPhase(order[1]).points },
          ],
          failures: chartPhase(order[1]).failures,
        },
        {
          title: `V6 (events): no delay (grey) and mail +${delayMs} ms (green)`,
          yLabel: 'latency, ms (log)',
          scale: 'log',
          series: [
            { name: 'V6, no delay', color: '#aaaaaa', points: chartPhase(order[2]).points },
            { name: `V6, mail +${delayMs} ms`, color: '#2ca02c', points: chartPhase(order[3]).points },
          ],
          failures: chartPhase(order[3]).failures,
        },
      ],
    }),
  };
}
