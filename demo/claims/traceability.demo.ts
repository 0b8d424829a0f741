/**
 * Traceability: one business flow — create a todo, then complete it, both requests sent
 * with the same X-Request-Id — and what each side lets you recover of it afterwards.
 *
 * V6: one call, todo-service's GET /journeys/:id (what the /journey page shows), which gathers
 * every service's steps of the flow — requests, commands, events appended and published, each
 * consumer's attempts, mails — and GET /correlations/:id, the events with what caused each.
 * V5: the only record is each service's request log; the V5 todo service forwards
 * X-Request-Id to its downstreams, so the lines can be joined on it.
 *
 * One file past 200 lines: both sides' runs and the report are one experiment, read top to bottom.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TEST_JWT_SECRET, mintToken } from '../../test/support/auth';
import { waitFor } from '../../test/support/wait-for';
import { openV5Stack, startV5Chain } from '../v5/v5-stack';
import { onCleanup } from '../support/cleanup';
import { postTodo } from '../support/flows';
import { HttpAnswer, request } from '../support/http-client';
import { FlagOf } from '../support/demo-flags';
import { Options } from '../support/options';
import { SETTINGS, openPlatform } from '../support/platform';
import { DemoReport } from '../support/report';

interface JourneyStep {
  service: string;
  kind: string;
  name: string;
  message_type: string | null;
  attempt: number | null;
  outcome: string;
  started_at: string;
  duration_ms: number;
}

interface Step {
  at: string;
  service: string;
  source: string;
  what: string;
}

const auth = (token: string, requestId?: string) => ({
  authorization: `Bearer ${token}`,
  ...(requestId ? { 'x-request-id': requestId } : {}),
});

async function flow(baseUrl: string, token: string, requestId: string): Promise<{ created: HttpAnswer; completed: HttpAnswer }> {
  const created = await postTodo(baseUrl, token, requestId, 'trace me');
  if (created.status !== 201) throw new Error(`POST /todos answered ${created.status}: ${JSON.stringify(created.body)}`);
  const completed = await request('PUT', `${baseUrl}/todos/${created.body!.id}/complete`, { headers: auth(token, requestId) });
  if (completed.status !== 200) throw new Error(`PUT complete answered ${completed.status}: ${JSON.stringify(completed.body)}`);
  return { created, completed };
}

const logged = async (file: string, correlationId: string): Promise<Record<string, unknown>[]> =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.includes(correlationId))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const describe = (line: Record<string, unknown>) =>
  [
    line.msg,
    line.event_type,
    line.handler,
    line.method,
    line.path,
    line.status,
    ...[line.ms, line.duration_ms, line.processing_time_ms].map((ms) => (typeof ms === 'number' ? `${ms.toFixed(1)} ms` : undefined)),
  ]
    .filter((part) => part !== undefined && part !== '')
    .join(' · ');

export async function traceability(options: Options<FlagOf<'traceability'>>): Promise<DemoReport> {
  // todo-service last, so that its GET /journeys/:id knows where the other two listen.
  const stack = await openPlatform('trace', { todoServiceLast: true });
  const id6 = `trace-v6-${randomBytes(4).toString('hex')}`;
  const id5 = `trace-v5-${randomBytes(4).toString('hex')}`;
  const steps5: Step[] = [];
  let journey: { steps: JourneyStep[]; sources: { url: string; error?: string }[] };
  let timeline: { correlation_id: string; events: Record<string, unknown>[] };
  let adminSteps: number;
  let strangerStatus: number;
  let logLines = 0;
  try {
    const todoUrl = stack.service('todo-service').url;
    // One flow first, untraced, so that neither side's traced flow is its first request after start.
    await flow(todoUrl, stack.tokens.demo, `${id6}-warm`);
    await flow(todoUrl, stack.tokens.demo, id6);
    // Both events consumed by the three services, and both mails sent: the journey is complete.
    journey = await waitFor(
      'the whole journey of the flow',
      async () => {
        const res = await request('GET', `${todoUrl}/journeys/${id6}`, { headers: auth(stack.tokens.demo) });
        const found = res.body as unknown as typeof journey | undefined;
        const count = (kind: string, outcome: string) => found?.steps?.filter((s) => s.kind === kind && s.outcome === outcome).length ?? 0;
        return res.status === 200 && count('message', 'processed') >= 6 && count('mail', 'sent') >= 2 && found;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const asAdmin = await request('GET', `${todoUrl}/journeys/${id6}`, { headers: auth(stack.tokens.admin) });
    adminSteps = ((asAdmin.body?.steps as unknown[]) ?? []).length;
    const stranger = mintToken({ id: 999_999, email: 'stranger@example.com', roles: [] });
    strangerStatus = (await request('GET', `${todoUrl}/journeys/${id6}`, { headers: auth(stranger) })).status;
    timeline = (await request('GET', `${todoUrl}/correlations/${id6}`, { headers: auth(stack.tokens.demo) }))
      .body as unknown as typeof timeline;
    for (const name of ['todo-service', 'notification-service', 'analytics-service'] as const) {
      logLines += (await logged(stack.service(name).logFile, id6)).filter((line) => line.correlation_id === id6).length;
    }
    await stack.stop('todo-service', 'notification-service', 'analytics-service');

    const v5 = await openV5Stack({ databaseUrl: SETTINGS.databaseUrl, smtpUrl: stack.smtp.url, jwtSecret: TEST_JWT_SECRET });
    const releaseV5 = onCleanup(() => v5.dispose());
    try {
      await startV5Chain(v5);
      await flow(v5.url('todo'), stack.tokens.demo, `${id5}-warm`);
      await flow(v5.url('todo'), stack.tokens.demo, id5);
      // Each line is written when its answer is finished: its request began `ms` earlier.
      for (const line of (await v5.logs()).filter((l) => l.request_id === id5)) {
        const began = new Date(Date.parse(String(line.time)) - Number(line.ms ?? 0)).toISOString();
        steps5.push({ at: began, service: String(line.service), source: 'log', what: `request began · ${describe(line)}` });
      }
    } finally {
      await v5.dispose();
      releaseV5();
    }
  } finally {
    await stack.dispose();
  }

  steps5.sort((a, b) => a.at.localeCompare(b.at));
  const t0 = Date.parse(journey.steps[0]?.started_at ?? '');
  const t5 = Date.parse(steps5[0]?.at ?? '');
  const kinds = (kind: string) => journey.steps.filter((s) => s.kind === kind).length;
  const services = new Set(journey.steps.map((s) => s.service)).size;
  return {
    claim: 'traceability',
    title: 'Traceability: one correlation id, create then complete',
    options: options.used,
    tables: [
      {
        caption: 'What can be recovered afterwards',
        header: ['', 'V5 (HTTP calls)', 'V6 (events)'],
        rows: [
          ['steps visible', `${steps5.length} (log lines)`, `${journey.steps.length} from one call, GET /journeys/:id`],
          ['services visible', String(new Set(steps5.map((s) => s.service)).size), String(services)],
          [
            'what the steps are',
            'one request line per service call',
            `${kinds('http')} requests, ${kinds('command')} commands, ${kinds('append')} events appended, ${kinds('publish')} publishes, ` +
              `${kinds('message')} consumer attempts, ${kinds('mail')} mails`,
          ],
          ['queryable over HTTP, kept with the data', 'nothing', 'GET /journeys/:id, GET /correlations/:id, the /journey page'],
          [
            'what caused what',
            'inferred from the forwarded request id and the order of the log lines',
            `explicit: caused_by on each of the ${timeline.events.length} events (GET /correlations/:id)`,
          ],
          [
            'only the owner sees it',
            'no: whoever reads the log files',
            `yes: another user gets ${strangerStatus}; an admin sees ${adminSteps} steps`,
          ],
          ['log lines with the correlation id (for comparison)', String(steps5.length), String(logLines)],
        ],
      },
      {
        caption: `V6 journey of ${id6} (GET /journeys/${id6})`,
        header: ['t', 'service', 'step', 'what', 'message', 'attempt', 'outcome', 'took'],
        rows: journey.steps.map((s) => [
          `+${Date.parse(s.started_at) - t0} ms`,
          s.service,
          s.kind,
          s.name,
          s.message_type ?? '',
          s.attempt === null ? '' : String(s.attempt),
          s.outcome,
          `${s.duration_ms.toFixed(1)} ms`,
        ]),
        align: ['left', 'left', 'left', 'left', 'left', 'right', 'left', 'right'],
      },
      {
        caption: `V5 timeline of ${id5}`,
        header: ['t', 'service', 'source', 'step'],
        rows: steps5.map((s) => [`+${(Date.parse(s.at) - t5).toFixed(0)} ms`, s.service, s.source, s.what.replace(/\|/g, '/')]),
        align: ['left', 'left', 'left', 'left'],
      },
    ],
    notes: [
      'V5’s trace is short and in one call tree: simple to follow while it lasts, but it lives only in log files and tells nothing the log lines did not print; without the forwarded X-Request-Id only timestamps would join them.',
      'V6 spreads the flow over processes and time (hence "complex"), and pays for it with a record: every service notes its steps of the flow, and todo-service gathers them into one journey. Trace ids fill in when tracing is on (not in this run: no OTLP endpoint).',
    ],
    raw: { v6: { correlationId: id6, journey, timeline }, v5: { correlationId: id5, steps: steps5 } },
  };
}
