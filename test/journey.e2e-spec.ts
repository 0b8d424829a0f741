import { existsSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { INestApplication } from '@nestjs/common';
import { Browser, chromium } from 'playwright-core';
import { Delivery, MessageProcessing, PermanentMessageError } from '@todo/messaging';
import { ADMIN_TOKEN, DEMO_TOKEN, api, mintToken } from './support/auth';
import { Platform, startPlatform } from './support/platform';
import { waitFor } from './support/wait-for';

/** Debian's chromium (`.ci/run` installs it); playwright-core brings no browser of its own. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const RETRIED = 'retried once by analytics';
const DEAD = 'refused by analytics';

/** analytics-service fails its first attempt at one todo, and refuses another for good. */
class AnalyticsTrouble extends MessageProcessing {
  private readonly failed = new Set<string>();
  constructor(private readonly inner: MessageProcessing) {
    super();
  }
  process(delivery: Delivery, handle: (scope: object) => Promise<void>) {
    if (delivery.consumer === 'analytics-service' && delivery.meta.type === 'todo.created') {
      if (delivery.message.title === DEAD) return Promise.reject(new PermanentMessageError('PLANNED', 'this todo is refused'));
      if (delivery.message.title === RETRIED && !this.failed.has(delivery.meta.id)) {
        this.failed.add(delivery.meta.id);
        return Promise.reject(new Error('planned transient failure'));
      }
    }
    return this.inner.process(delivery, handle);
  }
}

interface Step {
  service: string;
  kind: string;
  name: string;
  outcome: string;
  attempt: number | null;
  trace_id: string | null;
  duration_ms: number;
  message_type: string | null;
}

const urlOf = (app: INestApplication) => `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

/** One request followed through every service: GET /journeys/:id, and the live page in a real browser. */
describe('the journey of a request', () => {
  const exporter = new InMemorySpanExporter();
  let platform: Platform;
  let todoUrl: string;

  beforeAll(async () => {
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    platform = await startPlatform('journey', { skip: ['todo-service'], wrapProcessing: (inbox) => new AnalyticsTrouble(inbox) });
    // todo-service asks the others over HTTP, so they listen first, on ports of their own.
    await platform.notification.listen(0, '127.0.0.1');
    await platform.analytics.listen(0, '127.0.0.1');
    platform.env['todo-service'].JOURNEY_SERVICE_URLS = [
      urlOf(platform.notification),
      urlOf(platform.analytics),
      'http://127.0.0.1:9',
    ].join(',');
    const todo = await platform.startService('todo-service');
    await todo.listen(0, '127.0.0.1');
    todoUrl = urlOf(todo);
  });

  afterAll(async () => {
    await platform?.stop();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  const journeyOf = async (correlationId: string, token = DEMO_TOKEN) =>
    (await api(platform.todo.getHttpServer(), token).get(`/journeys/${correlationId}`)).body as {
      steps: Step[];
      sources: { url: string; error?: string }[];
    };

  const createTodo = (title: string, correlationId: string) =>
    api(platform.todo.getHttpServer()).post('/todos').set('X-Request-Id', correlationId).send({ title }).expect(201);

  it('gathers the request, the command, the events, the publish, every consumer and the mail, with durations and one trace', async () => {
    await createTodo('follow me', 'journey-api-1');
    const journey = await waitFor('the whole journey', async () => {
      const found = await journeyOf('journey-api-1');
      const has = (service: string, kind: string, outcome: string) =>
        found.steps?.some((s) => s.service === service && s.kind === kind && s.outcome === outcome);
      return has('todo-service', 'message', 'processed') &&
        has('notification-service', 'message', 'processed') &&
        has('analytics-service', 'message', 'processed') &&
        has('notification-service', 'mail', 'sent') &&
        has('todo-service', 'publish', 'published')
        ? found
        : undefined;
    });
    const kinds = journey.steps.map((s) => `${s.service} ${s.kind} ${s.name} ${s.outcome}`);
    expect(kinds.slice(0, 4)).toEqual([
      'todo-service http POST /todos 201',
      'todo-service command CreateTodoCommand ok',
      expect.stringMatching(/^todo-service append todo \S+ appended$/),
      'todo-service publish outbox relay published',
    ]);
    expect(kinds).toContain('notification-service mail demo@example.com sent');
    // A later request of the same flow adds its own steps, the caller's like the first.
    const todoId = journey.steps
      .find((s) => s.kind === 'append')!
      .name.split(' ')[1]
      .replace('todo-', '');
    await api(platform.todo.getHttpServer()).put(`/todos/${todoId}/complete`).set('X-Request-Id', 'journey-api-1').expect(200);
    const completed = await waitFor('the completion in the journey', async () => {
      const found = await journeyOf('journey-api-1');
      return found.steps.some((s) => s.kind === 'mail' && s.message_type === 'todo.completed') ? found : undefined;
    });
    expect(completed.steps.map((s) => `${s.kind} ${s.name}`)).toEqual(
      expect.arrayContaining(['http PUT /todos/:id/complete', 'command CompleteTodoCommand']),
    );
    // One trace from the request to the mail.
    const traces = new Set(journey.steps.map((s) => s.trace_id));
    expect([...traces]).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)]);
    expect(journey.steps.every((s) => s.duration_ms >= 0)).toBe(true);
    // A service that cannot be asked is named; the rest is still there.
    expect(journey.sources).toContainEqual({ url: 'http://127.0.0.1:9', error: expect.any(String) });
  });

  it('shows each retry and each dead letter as an attempt of its own', async () => {
    await createTodo(RETRIED, 'journey-retry');
    await createTodo(DEAD, 'journey-dead');
    const analyticsSteps = async (id: string) => (await journeyOf(id)).steps?.filter((s) => s.service === 'analytics-service') ?? [];
    const retried = await waitFor('the retried attempt and its success', async () => {
      const steps = await analyticsSteps('journey-retry');
      return steps.length >= 2 ? steps : undefined;
    });
    expect(retried.map((s) => [s.attempt, s.outcome])).toEqual([
      [1, 'retry'],
      [2, 'processed'],
    ]);
    const dead = await waitFor('the dead letter', async () => {
      const steps = await analyticsSteps('journey-dead');
      return steps.length >= 1 ? steps : undefined;
    });
    expect(dead).toEqual([expect.objectContaining({ attempt: 1, outcome: 'dead_lettered' })]);
  });

  it("shows a user only their own steps, and an admin everyone's", async () => {
    await createTodo('mine', 'journey-private');
    await waitFor('the mail step', async () => (await journeyOf('journey-private')).steps?.some((s) => s.kind === 'mail'));
    const stranger = mintToken({ id: 424_242, email: 'stranger@example.com', roles: [] });
    await api(platform.todo.getHttpServer(), stranger).get('/journeys/journey-private').expect(404);
    const asAdmin = await journeyOf('journey-private', ADMIN_TOKEN);
    expect(asAdmin.steps.map((s) => s.service)).toEqual(
      expect.arrayContaining(['todo-service', 'notification-service', 'analytics-service']),
    );
    await api(platform.todo.getHttpServer()).get('/journeys/not%20an%20id').expect(400);
  });

  describe('in a real browser', () => {
    let browser: Browser;

    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: .ci/run installs Debian's chromium`);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('sends a todo from the form and shows its journey filling in live, retry included', async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // Answers such as the 401 before registering, or the 404 before the first step, are part of the flow, not errors of the page.
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
      });
      await page.goto(`${todoUrl}/journey`);
      await page.getByLabel('Email').fill('visitor@example.com');
      await page.getByLabel('Password').fill('a long enough password');
      await page.getByLabel('Todo').fill(RETRIED);
      await page.getByRole('button', { name: 'Send the todo' }).click();
      await page.waitForURL(/\/journey\/journey-[0-9a-f-]{36}$/);

      const timeline = page.getByRole('table', { name: 'Journey timeline' });
      const row = (service: string, ...texts: string[]) =>
        texts.reduce((rows, text) => rows.filter({ hasText: text }), timeline.getByRole('row').filter({ hasText: service }));
      // What a person sees, in the order it happens; the page polls, so each row appears by itself.
      await row('todo-service', 'HTTP request', 'POST /todos', '201').waitFor();
      await row('todo-service', 'Command', 'CreateTodoCommand', 'ok').waitFor();
      await row('todo-service', 'Event appended', 'todo.created').waitFor();
      await row('todo-service', 'Published', 'todo.created', 'published').waitFor();
      await row('analytics-service', 'Consumed', 'todo.created', 'retry').waitFor();
      await row('analytics-service', 'Consumed', 'todo.created', 'processed').waitFor();
      await row('notification-service', 'Mail', 'visitor@example.com', 'sent').waitFor({ timeout: 20_000 });
      await page
        .getByRole('status')
        .filter({ hasText: /^\d+ steps across 3 services · updated/ })
        .waitFor();
      // Every row names its trace; the unreachable service is named above the table.
      const traces = await timeline.locator('tbody td.trace').allTextContents();
      expect(traces.every((text) => /^[0-9a-f]{16}…$/.test(text))).toBe(true);
      expect(await page.getByRole('listitem').filter({ hasText: 'http://127.0.0.1:9 could not be asked' }).count()).toBe(1);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('asks for a token when it has none, and shows a dead letter with its reason', async () => {
      await createTodo(DEAD, 'journey-dead-page');
      const page = await browser.newPage();
      await page.goto(`${todoUrl}/journey/journey-dead-page`);
      await page.getByText('This page needs a token').waitFor();
      await page.getByLabel('Token').fill(DEMO_TOKEN);
      await page.getByRole('button', { name: 'Use token' }).click();
      await timelineRow(page, 'CreateTodoCommand').waitFor();
      await timelineRow(page, 'analytics-service')
        .filter({ hasText: 'dead_lettered' })
        .filter({ hasText: 'PLANNED: this todo is refused' })
        .waitFor();
      await timelineRow(page, 'notification-service').filter({ hasText: 'Mail' }).filter({ hasText: 'sent' }).waitFor({ timeout: 20_000 });
      await page.close();
    });
  });
});

const timelineRow = (page: import('playwright-core').Page, text: string) =>
  page.getByRole('table', { name: 'Journey timeline' }).getByRole('row').filter({ hasText: text });
