import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { PLATFORM_CONTRACTS } from '@todo/events';
import { api } from './support/auth';
import { orderFlow } from './support/orders';
import { Platform, startPlatform } from './support/platform';
import { checkOutboxes, contractViolation } from './support/wire-contract';
import { waitFor } from './support/wait-for';

/** The message contract as the running services publish it. */
describe('the AsyncAPI document, served', () => {
  let platform: Platform;
  const committed = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'asyncapi.json'), 'utf8'));

  beforeAll(async () => {
    platform = await startPlatform('contract', {
      services: ['todo-service', 'notification-service', 'analytics-service', 'order-service', 'inventory-service'],
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('is served at /asyncapi.json by every service, without a token, as the repository holds it', async () => {
    for (const app of [platform.todo, platform.notification, platform.analytics, platform.order, platform.inventory]) {
      const response = await request(app.getHttpServer())
        .get('/asyncapi.json')
        .expect(200)
        .expect('Content-Type', /application\/json/);
      expect(response.body).toEqual(committed);
    }
  });

  it('renders as a page that needs nothing from elsewhere: every message with its senders and receivers, every queue', async () => {
    const response = await request(platform.todo.getHttpServer())
      .get('/asyncapi')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    const page = response.text;
    expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(page.match(/(?:src|href)="([^"]*)"/g) ?? []).toEqual(['href="/asyncapi.json"']);
    for (const kind of ['event', 'command'] as const) {
      for (const type of PLATFORM_CONTRACTS.types(kind)) {
        for (const version of PLATFORM_CONTRACTS.versions(kind, type)) expect(page).toContain(`id="${type}.v${version}"`);
      }
    }
    const todoCompleted = page.slice(
      page.indexOf('id="todo.completed.v1"'),
      page.indexOf('</section>', page.indexOf('id="todo.completed.v1"')),
    );
    expect(todoCompleted).toContain('<strong>Sent by</strong> <code>todo-service</code>');
    expect(todoCompleted).toMatch(
      /received by<\/strong> <code>notification-service<\/code>, <code>analytics-service<\/code>, <code>todo-service<\/code>/,
    );
    for (const queue of ['notification-service', 'analytics-service', 'todo-service', 'order-service', 'inventory-service']) {
      expect(page).toContain(`<tr><td><code>${queue}</code></td>`);
    }
  });

  it('fits, message by message, what the services sent: a todo through its life, an order through its saga', async () => {
    const todos = api(platform.todo.getHttpServer());
    const { body: todo } = await todos.post('/todos').send({ title: 'On the wire', priority: 'high' }).expect(201);
    await todos.put(`/todos/${todo.id}`).send({ title: 'On the wire, edited', description: 'and checked' }).expect(200);
    await todos.put(`/todos/${todo.id}/complete`).expect(200);
    const flow = orderFlow(platform);
    await flow.stock('WIRE-1', 5);
    const { body: order } = await flow
      .orders()
      .post('/orders')
      .send({ items: [{ sku: 'WIRE-1', quantity: 2 }] })
      .expect(201);
    await waitFor('the order to be confirmed', async () => (await flow.eventTypes(order.id)).includes('order.confirmed'));

    const { checked, violations } = await checkOutboxes('contract', Object.values(platform.schemas));
    expect(violations).toEqual([]);
    // todo.created, todo.edited, todo.completed; inventory.stock_set, inventory.reserved; order.created, inventory.reserve, order.confirmed.
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('reports a message that does not fit, naming the field', () => {
    const event = {
      event_id: '0b4a3f2e-8c1d-4e5f-9a6b-7c8d9e0f1a2b',
      event_type: 'todo.completed',
      event_version: 1,
      aggregate_id: 'todo-1',
      aggregate_type: 'todo',
      aggregate_version: 3,
      occurred_at: '2026-12-03T08:00:00.000Z',
      correlation_id: 'req-1',
      causation_id: 'req-1',
      todo_id: 1,
      user_id: 1,
      title: 'Done',
      completed_at: '2026-12-03T08:00:00.000Z',
    };
    const headers = {
      'x-event-type': 'todo.completed',
      'x-aggregate-id': 'todo-1',
      'x-correlation-id': 'req-1',
      'x-causation-id': 'req-1',
    };
    const wire = (body: object, h: object = headers) => ({
      type: 'todo.completed',
      body: JSON.stringify(body),
      headers: h as Record<string, unknown>,
    });
    expect(contractViolation(wire(event))).toBeUndefined();
    expect(contractViolation(wire({ ...event, completed_at: 'yesterday' }))).toMatch(/body\/completed_at must match format "date-time"/);
    expect(contractViolation(wire({ ...event, title: undefined }))).toMatch(/body must have required property 'title'/);
    expect(contractViolation(wire({ ...event, event_version: 7 }))).toMatch(/todo\.completed\.v7: no such message/);
    expect(contractViolation(wire(event, { ...headers, 'x-event-type': 'todo.created' }))).toMatch(
      /headers\/x-event-type must be equal to one of the allowed values/,
    );
  });
});
