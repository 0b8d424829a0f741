import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { Platform, startPlatform } from './support/platform';
import { ADMIN_TOKEN, DEMO_PASSWORD, DEMO_TOKEN, TEST_JWT_ISSUER, api, mintToken } from './support/auth';
import { orderFlow } from './support/orders';
import { queryIn } from './support/postgres';
import { rabbitmqctl } from './support/rabbitmq';
import { waitFor } from './support/wait-for';

const SERVICES = ['todo', 'notification', 'analytics', 'order', 'inventory'] as const;
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Who may do what over HTTP: tokens, the caller's own data only, roles, limits and the hardened edge. */
describe('authentication and authorisation over HTTP', () => {
  let platform: Platform;
  let bob: { id: number; token: string };
  const todo = () => platform.todo.getHttpServer();
  const server = (service: (typeof SERVICES)[number]): INestApplication => platform[service];

  const register = async (email: string, password: string) => {
    const { body: user } = await request(todo())
      .post('/users')
      .send({ email, name: email.split('@')[0], password })
      .expect(201);
    const { body: issued } = await request(todo()).post('/auth/token').send({ email, password }).expect(200);
    return { id: user.id as number, token: issued.access_token as string, issued };
  };

  beforeAll(async () => {
    platform = await startPlatform('security', {
      services: ['todo-service', 'notification-service', 'analytics-service', 'order-service', 'inventory-service'],
      env: { 'todo-service': { RATE_LIMIT_TOKENS_PER_MINUTE: '8', JWT_TTL_SECONDS: '600' } },
    });
    bob = await register('bob@example.com', 'bob has a long password');
  });
  afterAll(() => platform?.stop());

  describe('tokens', () => {
    it('registers with a password, stores only a scrypt hash, and exchanges the credentials for a bearer token that works', async () => {
      const ada = await register('ada@example.com', 'correct horse battery staple');
      expect(ada.issued).toEqual({
        access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        token_type: 'Bearer',
        expires_in: 600,
      });
      const [claims] = ada.token
        .split('.')
        .slice(1, 2)
        .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
      expect(claims).toMatchObject({ sub: String(ada.id), email: 'ada@example.com', roles: [], iss: TEST_JWT_ISSUER });
      await api(todo(), ada.token).get('/todos').expect(200, []);

      const [stored] = await queryIn<{ password_hash: string }>(
        platform.schemas.todo,
        'SELECT password_hash FROM user_credentials WHERE user_id = $1',
        [ada.id],
      );
      expect(stored.password_hash).toMatch(/^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
      const leaks = await queryIn(
        platform.schemas.todo,
        `SELECT 1 FROM events WHERE event_data::text LIKE '%horse%' OR event_data::text LIKE '%scrypt%'`,
      );
      expect(leaks).toEqual([]);
      expect(JSON.stringify(platform.logs.todo.lines)).not.toContain('horse');
    });

    it('answers a wrong password and an unknown address alike: 401 AUTH.INVALID_CREDENTIALS', async () => {
      for (const credentials of [
        { email: 'bob@example.com', password: 'not bob’s password' },
        { email: 'nobody@example.com', password: 'bob has a long password' },
      ]) {
        const res = await request(todo()).post('/auth/token').send(credentials).expect(401);
        expect(res.body).toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS', message: 'the email or the password is wrong' });
      }
    });

    it('refuses every guarded route of every service without a token, and serves health, metrics and docs without one', async () => {
      for (const service of SERVICES) {
        const document = (await request(server(service).getHttpServer()).get('/docs-json').expect(200)).body;
        const guarded = Object.entries(document.paths as Record<string, Record<string, { security?: unknown[] }>>).flatMap(([path, item]) =>
          Object.entries(item)
            .filter(([, operation]) => (operation.security ?? []).length > 0)
            .map(([method, operation]) => ({ method, path: path.replace(/\{[^}]+\}/g, '1'), operation })),
        );
        expect(guarded.length).toBeGreaterThan(0);
        for (const { method, path } of guarded) {
          const res = await (request(server(service).getHttpServer()) as unknown as Record<string, (p: string) => request.Test>)[method](
            path,
          );
          expect({ service, method, path, status: res.status, code: res.body.code }).toEqual({
            service,
            method,
            path,
            status: 401,
            code: 'AUTH.TOKEN_MISSING',
          });
          expect(res.headers['www-authenticate']).toBe('Bearer');
        }
        for (const open of ['/health/live', '/health/ready', '/metrics', '/docs-json']) {
          await request(server(service).getHttpServer()).get(open).expect(200);
        }
      }
    });

    it.each([
      [
        'an expired token',
        () => mintToken({ id: 1, email: 'demo@example.com', roles: [] }, { lifetimeSeconds: -60 }),
        'AUTH.TOKEN_EXPIRED',
      ],
      [
        'a token signed with another key',
        () => mintToken({ id: 1, email: 'demo@example.com', roles: ['admin'] }, { secret: 'x'.repeat(40) }),
        'AUTH.TOKEN_INVALID',
      ],
      [
        'an unsigned token (alg: none)',
        () =>
          `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: '1', email: 'demo@example.com', roles: ['admin'], iss: TEST_JWT_ISSUER, aud: TEST_JWT_ISSUER, exp: 9_999_999_999 })}.`,
        'AUTH.TOKEN_INVALID',
      ],
      [
        'a token whose signature was cut off another claim set',
        () => {
          const [header, , signature] = DEMO_TOKEN.split('.');
          return `${header}.${base64url({ sub: '1', email: 'demo@example.com', roles: ['admin'], iss: TEST_JWT_ISSUER, aud: TEST_JWT_ISSUER, exp: 9_999_999_999 })}.${signature}`;
        },
        'AUTH.TOKEN_INVALID',
      ],
      ['a header that is not "Bearer <JWT>"', () => 'not-a-jwt', 'AUTH.TOKEN_INVALID'],
    ])('refuses %s with 401 on every service', async (_case, token, code) => {
      for (const service of SERVICES) {
        const path = {
          todo: '/todos',
          notification: '/notifications',
          analytics: '/analytics/me',
          order: '/orders',
          inventory: '/inventory/KB-1',
        }[service];
        const res = await api(server(service).getHttpServer(), token()).get(path).expect(401);
        expect(res.body).toMatchObject({ statusCode: 401, code });
      }
    });

    it('limits token requests per address: 429 RATE_LIMITED with Retry-After, and a correct password waits too', async () => {
      const statuses: number[] = [];
      let limited: request.Response | undefined;
      for (let i = 0; i < 12 && !limited; i++) {
        const res = await request(todo())
          .post('/auth/token')
          .send({ email: 'bob@example.com', password: `guess number ${i} long` });
        statuses.push(res.status);
        if (res.status === 429) limited = res;
      }
      expect(limited?.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
      expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      await request(todo()).post('/auth/token').send({ email: 'demo@example.com', password: DEMO_PASSWORD }).expect(429);
    });
  });

  describe("another user's data", () => {
    let bobsTodo: number;
    let bobsOrder: number;
    const storeCount = async (schema: string, stream: string) =>
      (await queryIn<{ n: number }>(schema, `SELECT count(*)::int AS n FROM events WHERE aggregate_id = $1`, [stream]))[0].n;

    beforeAll(async () => {
      const flow = orderFlow(platform);
      await flow.stock('SEC-1', 10);
      bobsTodo = (await api(todo(), bob.token).post('/todos').set('X-Request-Id', 'bobs-flow').send({ title: "bob's secret" }).expect(201))
        .body.id;
      bobsOrder = (
        await api(platform.order.getHttpServer(), bob.token)
          .post('/orders')
          .send({ items: [{ sku: 'SEC-1', quantity: 1 }] })
          .expect(201)
      ).body.id;
      await waitFor("bob's todo in the view", async () => (await api(todo(), bob.token).get(`/todos/${bobsTodo}`)).status === 200);
      await flow.outcome(bobsOrder).catch(() => undefined);
    });

    it("answers 404 to reading, changing or deleting bob's todo, and changes nothing in the store", async () => {
      const before = await storeCount(platform.schemas.todo, `todo-${bobsTodo}`);
      for (const call of [
        api(todo()).get(`/todos/${bobsTodo}`),
        api(todo()).get(`/todos/${bobsTodo}?min_version=5`),
        api(todo()).get(`/todos/${bobsTodo}/events`),
        api(todo()).put(`/todos/${bobsTodo}/complete`),
        api(todo()).put(`/todos/${bobsTodo}/complete`).set('If-Match', '"99"'),
        api(todo()).put(`/todos/${bobsTodo}/priority`).send({ priority: 'high' }),
        api(todo()).put(`/todos/${bobsTodo}`).send({ title: 'mine now', description: '' }),
        api(todo()).put(`/todos/${bobsTodo}/reopen`),
        api(todo()).delete(`/todos/${bobsTodo}`),
      ]) {
        const res = await call;
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'TODO.NOT_FOUND' });
      }
      expect(await storeCount(platform.schemas.todo, `todo-${bobsTodo}`)).toBe(before);
      await api(todo(), bob.token).get(`/todos/${bobsTodo}`).expect(200);
    });

    it("leaves bob's todos, events, timeline and mails out of the demo user's lists", async () => {
      await api(todo()).post('/todos').send({ title: 'mine' }).expect(201);
      const mine = await waitFor('the demo todo in the view', async () => {
        const listed = (await api(todo()).get('/todos?limit=100').expect(200)).body as { id: number; user_id: number }[];
        return listed.length > 0 && listed;
      });
      expect(mine.every((t) => t.user_id === 1)).toBe(true);
      const events = (await api(todo()).get('/events?limit=1000').expect(200)).body.events as { event: { user_id?: number } }[];
      expect(events.length).toBeGreaterThan(0);
      expect(events.filter((e) => e.event.user_id !== 1)).toEqual([]);
      const timeline = await api(todo()).get('/correlations/bobs-flow').expect(404);
      expect(timeline.body.code).toBe('CORRELATION.NOT_FOUND');
      await api(todo(), bob.token).get('/correlations/bobs-flow').expect(200);
      // An admin sees every user's events.
      const all = (await api(todo(), ADMIN_TOKEN).get('/events?limit=1000').expect(200)).body.events as { event: { user_id?: number } }[];
      expect(all.some((e) => e.event.user_id === bob.id)).toBe(true);

      await waitFor("bob's mail", async () => {
        const res = await api(platform.notification.getHttpServer(), bob.token).get('/notifications').expect(200);
        return res.body.length > 0;
      });
      const demoMails = (await api(platform.notification.getHttpServer()).get('/notifications?limit=100').expect(200)).body as {
        user_id: number;
      }[];
      expect(demoMails.filter((m) => m.user_id !== 1)).toEqual([]);
    });

    it("answers 404 to reading or cancelling bob's order, lists only the caller's orders, and appends nothing", async () => {
      const orders = () => api(platform.order.getHttpServer());
      const before = await storeCount(platform.schemas.order, `order-${bobsOrder}`);
      for (const call of [orders().get(`/orders/${bobsOrder}`), orders().put(`/orders/${bobsOrder}/cancel`)]) {
        const res = await call;
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'ORDER.NOT_FOUND' });
      }
      const listed = (await orders().get('/orders').expect(200)).body as { id: number }[];
      expect(listed.map((o) => o.id)).not.toContain(bobsOrder);
      expect(await storeCount(platform.schemas.order, `order-${bobsOrder}`)).toBe(before);
      await api(platform.order.getHttpServer(), bob.token).get(`/orders/${bobsOrder}`).expect(200);
    });

    it('keeps the platform-wide summary and stocking for the admin role: 403 AUTH.FORBIDDEN for a user', async () => {
      const summary = await api(platform.analytics.getHttpServer()).get('/analytics/summary').expect(403);
      expect(summary.body).toMatchObject({ code: 'AUTH.FORBIDDEN', message: 'this route needs the admin role' });
      await api(platform.analytics.getHttpServer(), ADMIN_TOKEN).get('/analytics/summary').expect(200);
      const stock = await api(platform.inventory.getHttpServer()).put('/inventory/SEC-1').send({ available: 1_000 }).expect(403);
      expect(stock.body.code).toBe('AUTH.FORBIDDEN');
      const me = await waitFor('bob counted', async () => {
        const res = await api(platform.analytics.getHttpServer(), bob.token).get('/analytics/me').expect(200);
        return res.body.todos_created >= 1 && res.body;
      });
      expect(me).toEqual({ user_id: bob.id, todos_created: 1, todos_completed: 0, completion_rate: 0 });
    });
  });

  describe('the HTTP edge', () => {
    it("sends helmet's headers, no X-Powered-By and no CORS headers when no origin is configured", async () => {
      const res = await api(todo()).get('/todos').set('Origin', 'https://evil.example').expect(200);
      expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' });
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('replaces a request id that could forge log lines or headers with a generated one', async () => {
      for (const offered of ['a b', '{"level":"error"}', 'x'.repeat(129), 'id\u0085next']) {
        const res = await api(todo()).get('/todos').set('X-Request-Id', offered).expect(200);
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it('answers prototype keys and deep nesting like any unknown field: 400 naming it, the prototype untouched', async () => {
      const cases: [string, string][] = [
        ['{"title":"x","__proto__":{"polluted":true}}', '__proto__'],
        ['{"title":"x","constructor":{"prototype":{"polluted":true}}}', 'constructor'],
        [`{"title":"x","description":${'['.repeat(5_000)}${']'.repeat(5_000)}}`, 'description.0.0.0.0.0.0.0'],
        ['{"title":"x","description":"\\ud800 alone"}', 'description'],
      ];
      for (const [body, field] of cases) {
        const res = await api(todo()).post('/todos').set('Content-Type', 'application/json').send(body).expect(400);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(res.body.errors[0].field).toBe(field);
        expect(Object.keys(res.body).sort()).toEqual(['code', 'correlation_id', 'errors', 'message', 'statusCode']);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('each service as its own principal', () => {
    const connectAs = async (service: 'todo-service' | 'notification-service' | 'analytics-service') => {
      const client = new Client({ connectionString: platform.env[service].DATABASE_URL });
      await client.connect();
      return client;
    };

    it("lets a service's database role read its own schema and refuses it every other service's", async () => {
      const notification = await connectAs('notification-service');
      try {
        await expect(notification.query(`SELECT count(*) FROM "${platform.schemas.notification}".notifications`)).resolves.toBeDefined();
        for (const table of [
          `"${platform.schemas.todo}".events`,
          `"${platform.schemas.todo}".user_credentials`,
          `"${platform.schemas.analytics}".todo_facts`,
        ]) {
          await expect(notification.query(`SELECT * FROM ${table}`)).rejects.toMatchObject({ code: '42501' });
        }
        await expect(notification.query(`CREATE TABLE "${platform.schemas.todo}".planted (id int)`)).rejects.toMatchObject({
          code: '42501',
        });
        await expect(notification.query(`CREATE SCHEMA planted`)).rejects.toMatchObject({ code: '42501' });
      } finally {
        await notification.end();
      }
      const [owner] = await queryIn<{ owner: string }>(
        platform.schemas.todo,
        `SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = $1`,
        [platform.schemas.todo],
      );
      expect(owner.owner).toBe(platform.schemas.todo);
    });

    it('connects every service to the broker as its own user, none as guest', async () => {
      const rows = JSON.parse(await rabbitmqctl('list_connections', '-q', 'user', 'vhost', '--formatter', 'json')) as {
        user: string;
        vhost: string;
      }[];
      const users = new Set(rows.filter((r) => r.vhost === platform.vhost.vhost).map((r) => r.user));
      expect([...users].sort()).toEqual([
        'analytics-service',
        'inventory-service',
        'notification-service',
        'order-service',
        'todo-service',
      ]);
    });
  });
});
