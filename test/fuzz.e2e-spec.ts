import { randomUUID } from 'node:crypto';
import amqplib from 'amqplib';
import fc from 'fast-check';
import request from 'supertest';
import { ANALYTICS_QUEUE, Headers, TODO_EVENTS_EXCHANGE } from '@todo/messaging';
import { ADMIN_TOKEN, api } from './support/auth';
import { Platform, startPlatform } from './support/platform';
import { queueDepths } from './support/rabbitmq';
import { waitFor } from './support/wait-for';

/** Hostile pieces of input: control characters, prototype keys, numbers no field accepts, nesting no contract has. */
const nasty = {
  string: fc.oneof(
    fc.string(),
    fc.string({ unit: fc.constantFrom('\u0000', '\u0007', '\n', '\r', '\u001b', '\u2028', '\ud800', 'é', '"', '\\', '%') }),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'x'.repeat(2_000)),
  ),
  number: fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e308, -1e308, 2 ** 53, 2 ** 63, -0, 0.5, Number.MAX_SAFE_INTEGER + 2)),
};
const key = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'title', 'items', 'email', 'password', 'available'),
  fc.string(),
);
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nasty.string,
    nasty.number,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;
/** A JSON text: a value as JSON.stringify writes it (with `__proto__` as an own key), or one nested thousands deep. */
const body = fc.oneof(
  value.map((v) => JSON.stringify(v) ?? 'null'),
  fc.dictionary(key, value, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  fc.constantFrom('{"__proto__":{"polluted":1},"title":"x"}', `{"title":${'['.repeat(3_000)}${']'.repeat(3_000)}}`),
  fc.integer({ min: 1, max: 2_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
);
/** Percent-encodes every byte of the text's UTF-8 (a lone surrogate included, as U+FFFD). */
const percentEncoded = (text: string): string => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const pathSegment = fc.oneof(
  fc.oneof(nasty.string, fc.integer().map(String), nasty.number.map(String)).map((s) => percentEncoded(s) || '%20'),
  fc.constantFrom('%ff%fe', '%c0%af', '%00', '..%2f..%2fetc'),
);

/** Every answer is a 2xx or a 4xx with a stable code — never a 5xx — and no prototype changes. */
function expectTolerated(label: string, res: request.Response): void {
  const ok = res.status < 300 || (res.status >= 400 && res.status < 500 && typeof res.body?.code === 'string');
  if (!ok) throw new Error(`${label} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error(`${label} changed Object.prototype`);
}

/** Property-based: arbitrary and hostile input on every endpoint and on the bus. */
describe('fuzzing the HTTP edge and the message validator', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform('fuzz', {
      services: ['todo-service', 'notification-service', 'analytics-service', 'order-service', 'inventory-service'],
    });
  });
  afterAll(() => platform?.stop());

  const endpoints = () =>
    [
      { service: platform.todo, method: 'post', path: () => '/todos' },
      { service: platform.todo, method: 'put', path: (id: string) => `/todos/${id}` },
      { service: platform.todo, method: 'put', path: (id: string) => `/todos/${id}/priority` },
      { service: platform.todo, method: 'put', path: (id: string) => `/todos/${id}/complete` },
      { service: platform.todo, method: 'delete', path: (id: string) => `/todos/${id}` },
      { service: platform.todo, method: 'post', path: () => '/users', token: null },
      { service: platform.todo, method: 'post', path: () => '/auth/token', token: null },
      { service: platform.order, method: 'post', path: () => '/orders' },
      { service: platform.order, method: 'put', path: (id: string) => `/orders/${id}/cancel` },
      { service: platform.inventory, method: 'put', path: (id: string) => `/inventory/${id}`, token: ADMIN_TOKEN },
    ] as const;

  it('answers every body and path a 2xx or a 4xx with a code on every write endpoint', async () => {
    for (const endpoint of endpoints()) {
      await fc.assert(
        fc.asyncProperty(body, pathSegment, async (text, id) => {
          const server = endpoint.service.getHttpServer();
          const token = 'token' in endpoint ? endpoint.token : undefined;
          const agent = token === null ? request(server) : api(server, token);
          const send = (agent as unknown as Record<string, (p: string) => request.Test>)[endpoint.method].bind(agent);
          const res = await send(endpoint.path(id)).set('Content-Type', 'application/json').send(text);
          expectTolerated(`${endpoint.method.toUpperCase()} ${endpoint.path(id)} with ${text.slice(0, 200)}`, res);
        }),
        { numRuns: 40 },
      );
    }
  });

  it('answers every query string a 2xx or a 4xx with a code on every read endpoint', async () => {
    const reads = [
      { service: () => platform.todo, path: '/todos' },
      { service: () => platform.todo, path: '/events' },
      { service: () => platform.order, path: '/orders' },
      { service: () => platform.notification, path: '/notifications' },
    ];
    const query = fc.dictionary(
      fc.oneof(
        fc.constantFrom('limit', 'offset', 'after', 'type', 'status', 'min_version', '__proto__', 'constructor[prototype]'),
        fc.string(),
      ),
      fc.oneof(nasty.string, nasty.number.map(String)),
      { maxKeys: 4 },
    );
    for (const read of reads) {
      await fc.assert(
        fc.asyncProperty(query, async (params) => {
          const qs = Object.entries(params)
            .map(([k, v]) => `${percentEncoded(k)}=${percentEncoded(v)}`)
            .join('&');
          expectTolerated(`GET ${read.path}?${qs}`, await api(read.service().getHttpServer()).get(`${read.path}?${qs}`));
        }),
        { numRuns: 40 },
      );
    }
  });

  it('dead-letters every malformed message with a reason, and the consumer goes on with the next valid one', async () => {
    const samples = fc.sample(body, { numRuns: 40, seed: 42 });
    const dlq = ANALYTICS_QUEUE.deadLetterQueue;
    const connection = await amqplib.connect(platform.vhost.url);
    try {
      const channel = await connection.createConfirmChannel();
      samples.forEach((text, i) =>
        channel.publish(TODO_EVENTS_EXCHANGE, 'todo.created', Buffer.from(text), { persistent: true, messageId: `fuzz-${i}` }),
      );
      await channel.waitForConfirms();
      await waitFor(
        'every fuzzed message in the dead-letter queue',
        async () => {
          const depths = await queueDepths(platform.vhost.vhost);
          if (depths[dlq] >= samples.length) return true;
          throw new Error(`queues: ${JSON.stringify(depths)}`);
        },
        {
          timeoutMs: 30_000,
        },
      );
      const reasons = new Set<string>();
      for (let i = 0; i < samples.length; i++) {
        const dead = await channel.get(dlq, { noAck: true });
        const reason = dead && dead.properties.headers?.[Headers.DeadLetterReason];
        expect(typeof reason).toBe('string');
        reasons.add(String(reason).split(':')[0]);
      }
      expect(reasons.size).toBeGreaterThan(1);

      // A valid event after them is consumed as usual.
      const id = randomUUID();
      await api(platform.todo.getHttpServer()).post('/todos').set('X-Request-Id', id).send({ title: 'after the fuzz' }).expect(201);
      await waitFor('analytics to count the todo after the fuzz', async () => {
        const summary = await api(platform.analytics.getHttpServer(), ADMIN_TOKEN).get('/analytics/summary').expect(200);
        return summary.body.todos_created >= 1;
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      await connection.close();
    }
  });
});
