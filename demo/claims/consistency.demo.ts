/**
 * Consistency: how long "eventual" is, and what reading your own write costs.
 *
 * V6: a steady load of POST /todos, each followed at once by a read of the todo: every
 * other one a plain GET /todos/:id (stale when the view does not yet hold the version the
 * command answered), the others GET /todos/:id?min_version=<version>, which waits for the
 * view. The lag per consumer is read from the stores as bench/consistency-lag.bench.ts does
 * (event committed → the consumer's inbox transaction; → mail handed to SMTP), and the
 * mail's arrival at the SMTP sink is timed against the command's answer.
 * V5: the same load and plain reads; the mail is timed against the answer the same way.
 *
 * One file past 200 lines: both sides' runs and the report are one experiment, read top to bottom.
 */
import { performance } from 'node:perf_hooks';
import { TEST_JWT_SECRET } from '../../test/support/auth';
import { waitFor } from '../../test/support/wait-for';
import { openV5Stack, startV5Chain } from '../v5/v5-stack';
import { onCleanup } from '../support/cleanup';
import { postTodo } from '../support/flows';
import { HttpAnswer, request } from '../support/http-client';
import { FlagOf } from '../support/demo-flags';
import { Options } from '../support/options';
import { measureFor, warmUp } from '../support/phases';
import { SETTINGS, connectDb, openPlatform } from '../support/platform';
import { DemoReport } from '../support/report';
import { fmt, percentile, summarize } from '../support/stats';
import { Sample, startLoad } from '../support/steady-load';

interface Read {
  n: number;
  mode: 'plain' | 'min_version';
  status: number;
  stale: boolean;
  ms: number;
}

interface Lag {
  consumer: string;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const pcts = (values: number[]) => ({
  n: values.length,
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
  max: percentile(values, 100),
});

/**
 * POST, then at once a read of what it answered. The load sees the POST's answer (its
 * latency is the write's alone); the read runs on, and its outcome goes into `reads`.
 */
function writeThenRead(
  baseUrl: string,
  token: string,
  tag: string,
  reads: Read[],
  answeredAt: Map<string, number>,
  modeOf: (n: number) => Read['mode'],
  pending: Set<Promise<void>>,
) {
  return async (n: number): Promise<HttpAnswer> => {
    const id = `${tag}-${n}`;
    const written = await postTodo(baseUrl, token, id, `consistency ${n}`);
    answeredAt.set(id, performance.now());
    const todoId = written.body?.id;
    const version = written.body?.version;
    if (written.status === 201 && typeof todoId === 'number' && typeof version === 'number') {
      const mode = modeOf(n);
      const read = request('GET', `${baseUrl}/todos/${todoId}${mode === 'min_version' ? `?min_version=${version}` : ''}`, {
        headers: { authorization: `Bearer ${token}`, 'x-request-id': `${id}-read` },
      }).then((answer) => {
        const seen = answer.body?.version;
        reads.push({
          n,
          mode,
          status: answer.status,
          stale: answer.status !== 200 || typeof seen !== 'number' || seen < version,
          ms: answer.ms,
        });
      });
      pending.add(read);
      void read.finally(() => pending.delete(read));
    }
    return written;
  };
}

export async function consistency(options: Options<FlagOf<'consistency'>>): Promise<DemoReport> {
  const rate = options.num('rate');
  const seconds = options.num('seconds');
  const warmUpSeconds = options.num('warmup-seconds');

  const stack = await openPlatform('consistency');
  const sink = stack.smtp;
  const db = await connectDb();
  const reads6: Read[] = [];
  const reads5: Read[] = [];
  const answered6 = new Map<string, number>();
  const answered5 = new Map<string, number>();
  const pending = new Set<Promise<void>>();
  let samples6: Sample[];
  let samples5: Sample[];
  let lags: Lag[];
  const mailLag = (answered: Map<string, number>) =>
    [...answered].filter(([id]) => sink.received.has(id)).map(([id, at]) => sink.received.get(id)! - at);
  try {
    const todoUrl = stack.service('todo-service').url;
    await warmUp(
      rate,
      warmUpSeconds,
      writeThenRead(todoUrl, stack.tokens.demo, 'v6-warm-consistency', [], new Map(), () => 'plain', pending),
    );
    const tag6 = 'v6-consistency';
    const load6 = startLoad({
      rate,
      send: writeThenRead(todoUrl, stack.tokens.demo, tag6, reads6, answered6, (n) => (n % 2 ? 'min_version' : 'plain'), pending),
    });
    await measureFor(seconds * 1000);
    samples6 = await load6.stop();
    await Promise.all([...pending]);
    const ok6 = samples6.filter((s) => s.ok).length;
    await waitFor('every V6 mail to arrive', () => mailLag(answered6).length >= ok6, { timeoutMs: 60_000, intervalMs: 50 }).catch(
      () => undefined,
    );
    const { todo, analytics, notification } = stack.schemas;
    // Committed → applied, per consumer, for this phase's events only (their correlation id is the request's).
    const lagOf = async (consumer: string, sql: string): Promise<Lag> => {
      const { rows } = await db.query<{ ms: number }>(sql, [`${tag6}-%`]);
      return { consumer, ...pcts(rows.map((r) => Number(r.ms))) };
    };
    const inboxLag = (schema: string, consumer: string) =>
      `SELECT extract(epoch FROM i.processed_at - e.timestamp) * 1000 AS ms
         FROM "${schema}".inbox i JOIN "${todo}".events e ON e.event_id = i.event_id
        WHERE i.consumer = '${consumer}' AND e.metadata->>'correlation_id' LIKE $1`;
    lags = [
      await lagOf('todo views (todo-service)', inboxLag(todo, 'todo-service')),
      await lagOf('analytics', inboxLag(analytics, 'analytics-service')),
      await lagOf('notifications recorded', inboxLag(notification, 'notification-service')),
      await lagOf(
        'mail handed to SMTP (sent_at)',
        `SELECT extract(epoch FROM n.sent_at - e.timestamp) * 1000 AS ms
           FROM "${notification}".notifications n JOIN "${todo}".events e ON e.event_id = n.event_id
          WHERE n.sent_at IS NOT NULL AND e.metadata->>'correlation_id' LIKE $1`,
      ),
    ];
    await stack.stop('todo-service', 'notification-service', 'analytics-service');

    const v5 = await openV5Stack({ databaseUrl: SETTINGS.databaseUrl, smtpUrl: sink.url, jwtSecret: TEST_JWT_SECRET });
    const releaseV5 = onCleanup(() => v5.dispose());
    try {
      await startV5Chain(v5);
      const url = v5.url('todo');
      await warmUp(
        rate,
        warmUpSeconds,
        writeThenRead(url, stack.tokens.demo, 'v5-warm-consistency', [], new Map(), () => 'plain', pending),
      );
      const load5 = startLoad({
        rate,
        send: writeThenRead(url, stack.tokens.demo, 'v5-consistency', reads5, answered5, () => 'plain', pending),
      });
      await measureFor(seconds * 1000);
      samples5 = await load5.stop();
      await Promise.all([...pending]);
    } finally {
      await v5.dispose();
      releaseV5();
    }
  } finally {
    await db.end();
    await stack.dispose();
  }

  const readRow = (reads: Read[]) => {
    const stale = reads.filter((r) => r.stale).length;
    const ms = reads.map((r) => r.ms);
    return {
      reads: reads.length,
      stale,
      stalePct: reads.length ? (stale / reads.length) * 100 : NaN,
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
    };
  };
  const plain6 = readRow(reads6.filter((r) => r.mode === 'plain'));
  const min6 = readRow(reads6.filter((r) => r.mode === 'min_version'));
  const plain5 = readRow(reads5);
  const post5 = summarize(samples5);
  const post6 = summarize(samples6);
  const mail5 = pcts(mailLag(answered5));
  const mail6 = pcts(mailLag(answered6));
  const lagRow = (l: { consumer: string; n: number; p50: number; p95: number; p99: number; max: number }) => [
    l.consumer,
    String(l.n),
    fmt(l.p50),
    fmt(l.p95),
    fmt(l.p99),
    fmt(l.max),
  ];
  return {
    claim: 'consistency',
    title: 'Consistency: the measured lag, and reading your own writes',
    options: options.used,
    tables: [
      {
        caption: `V6 lag at ${rate} commands/s for ${seconds} s: event committed → applied by each consumer (ms, from the stores)`,
        header: ['consumer', 'events', 'p50', 'p95', 'p99', 'max'],
        rows: lags.map(lagRow),
      },
      {
        caption: 'Command answered → its mail received by the SMTP sink (ms; negative: the mail arrived before the answer)',
        header: ['', 'mails', 'p50', 'p95', 'p99', 'max'],
        rows: [lagRow({ consumer: 'V5', ...mail5 }), lagRow({ consumer: 'V6', ...mail6 })],
      },
      {
        caption: 'A read right after the write, and what the write itself cost',
        header: ['', 'V5 plain GET', 'V6 plain GET', 'V6 GET ?min_version='],
        rows: [
          ['reads', String(plain5.reads), String(plain6.reads), String(min6.reads)],
          [
            'stale (older than the answered version, or not found)',
            `${plain5.stale} (${fmt(plain5.stalePct)} %)`,
            `${plain6.stale} (${fmt(plain6.stalePct)} %)`,
            `${min6.stale} (${fmt(min6.stalePct)} %)`,
          ],
          [
            'read latency p50 / p99, ms',
            `${fmt(plain5.p50)} / ${fmt(plain5.p99)}`,
            `${fmt(plain6.p50)} / ${fmt(plain6.p99)}`,
            `${fmt(min6.p50)} / ${fmt(min6.p99)}`,
          ],
          [
            'POST /todos latency p50 / p99, ms',
            `${fmt(post5.p50)} / ${fmt(post5.p99)}`,
            `${fmt(post6.p50)} / ${fmt(post6.p99)}`,
            '(same load)',
          ],
        ],
      },
    ],
    notes: [
      'V5 is strongly consistent by construction: its read is of the table the write went to, and mail and analytics are done before the answer — the lag is inside the POST’s latency.',
      'V6 answers after the event and outbox commit; the views follow. min_version makes the read wait (polling the view every 10 ms, up to 2 s) instead of answering stale.',
      'Lag rows from the stores use PostgreSQL’s clock on both ends; the answered → mail rows use this process’s clock on both ends.',
    ],
    raw: { lags, mail5, mail6, reads5, reads6, post5, post6 },
  };
}
