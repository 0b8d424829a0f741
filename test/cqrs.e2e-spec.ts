import { Platform, startPlatform } from './support/platform';
import { queryIn } from './support/postgres';
import { waitFor } from './support/wait-for';
import { ADMIN_TOKEN, api } from './support/auth';

/** Commands answer from the write side with the new version; queries read views that catch up. */
describe('CQRS: views, read-your-own-writes, optimistic concurrency, lifecycle', () => {
  let platform: Platform;
  const http = () => api(platform.todo.getHttpServer());
  const summary = async () => (await api(platform.analytics.getHttpServer(), ADMIN_TOKEN).get('/analytics/summary').expect(200)).body;

  beforeAll(async () => {
    platform = await startPlatform('cqrs');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers a command with the new version as ETag, and a query asking for that version sees the write', async () => {
    const created = await http().post('/todos').send({ title: 'read me', description: 'soon' }).expect(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/todos/${created.body.id}`);
    expect(created.body).toMatchObject({ title: 'read me', status: 'open', version: 1, events: ['todo.created'] });

    const completed = await http().put(`/todos/${created.body.id}/complete`).expect(200);
    expect(completed.headers.etag).toBe('"2"');

    const view = await http().get(`/todos/${created.body.id}?min_version=2`).expect(200);
    expect(view.body).toMatchObject({ id: created.body.id, status: 'completed', version: 2 });
    expect(view.headers.etag).toBe('"2"');
  });

  it("sends an ETag only as a todo's version: a read of that version again is 304, and no other answer carries one", async () => {
    const { body } = await http().post('/todos').send({ title: 'tagged' }).expect(201);
    await http().get(`/todos/${body.id}?min_version=1`).set('If-None-Match', '"1"').expect(304);

    await http().put(`/todos/${body.id}/complete`).expect(200);
    const refused = await http().put(`/todos/${body.id}/complete`).expect(409);
    const list = await http().get('/todos').expect(200);
    const user = await http()
      .post('/users')
      .send({ email: 'tagged@example.com', name: 'Tagged', password: 'a long enough password' })
      .expect(201);
    for (const res of [refused, list, user]) expect(res.headers.etag).toBeUndefined();
  });

  it('answers 503 TODO.VIEW_BEHIND when the view cannot reach the asked version in time', async () => {
    const { body } = await http().post('/todos').send({ title: 'x' }).expect(201);
    const res = await http().get(`/todos/${body.id}?min_version=9`).expect(503);
    expect(res.body).toMatchObject({ code: 'TODO.VIEW_BEHIND' });
    expect(res.headers['retry-after']).toBe('1');
  });

  it('applies a write with a current If-Match, refuses a stale one with 412, and rejects a malformed one with 400', async () => {
    const { body } = await http().post('/todos').send({ title: 'guarded' }).expect(201);
    await http().put(`/todos/${body.id}/priority`).set('If-Match', '"1"').send({ priority: 'high' }).expect(200);
    const stale = await http().put(`/todos/${body.id}`).set('If-Match', '"1"').send({ title: 'lost update', description: '' }).expect(412);
    expect(stale.body).toMatchObject({
      code: 'TODO.VERSION_MISMATCH',
      message: `todo ${body.id} is at version 2, not 1: reload it and try again`,
    });
    const weak = await http().put(`/todos/${body.id}`).set('If-Match', 'W/"2"').send({ title: 'weak', description: '' }).expect(412);
    expect(weak.body.code).toBe('TODO.VERSION_MISMATCH');
    await http().put(`/todos/${body.id}`).set('If-Match', '"2"').send({ title: 'kept', description: 'd' }).expect(200);
    const bad = await http().put(`/todos/${body.id}/complete`).set('If-Match', 'yesterday').expect(400);
    expect(bad.body.errors[0].field).toBe('If-Match');
  });

  it('lets exactly one of many concurrent If-Match completes win: one todo.completed, the rest 412', async () => {
    const { body } = await http().post('/todos').send({ title: 'race' }).expect(201);
    const responses = await Promise.all(Array.from({ length: 10 }, () => http().put(`/todos/${body.id}/complete`).set('If-Match', '"1"')));
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(412)]);
    const events = await http().get(`/todos/${body.id}/events`).expect(200);
    expect(events.body.filter((e: { event: { event_type: string } }) => e.event.event_type === 'todo.completed')).toHaveLength(1);
  });

  it('runs the lifecycle — edit, complete, reopen, delete — and analytics counts reopen and delete', async () => {
    // Analytics is eventually consistent: start counting once it has applied every earlier event.
    await waitFor('analytics to catch up with the store', async () => {
      const [{ n: stored }] = await queryIn<{ n: number }>(
        platform.schemas.todo,
        `SELECT count(*)::int AS n FROM events WHERE event_type LIKE 'todo.%'`,
      );
      const [{ n: applied }] = await queryIn<{ n: number }>(platform.schemas.analytics, 'SELECT count(*)::int AS n FROM inbox');
      return stored === applied;
    });
    const before = await summary();
    const { body } = await http().post('/todos').send({ title: 'lifecycle', priority: 'low' }).expect(201);
    const id = body.id;
    await http().put(`/todos/${id}`).send({ title: 'lifecycle, edited', description: 'now with text' }).expect(200);
    await http().put(`/todos/${id}/complete`).expect(200);
    const reopened = await http().put(`/todos/${id}/reopen`).expect(200);
    expect(reopened.body).toMatchObject({ status: 'open', completed_at: null, version: 4 });
    const notCompleted = await http().put(`/todos/${id}/reopen`).expect(409);
    expect(notCompleted.body.code).toBe('TODO.NOT_COMPLETED');

    const view = await http().get(`/todos/${id}?min_version=4`).expect(200);
    expect(view.body).toMatchObject({ title: 'lifecycle, edited', description: 'now with text', status: 'open', version: 4 });

    await http().delete(`/todos/${id}`).expect(200);
    for (const [method, path, payload] of [
      ['put', `/todos/${id}`, { title: 'zombie', description: '' }],
      ['put', `/todos/${id}/complete`, undefined],
      ['put', `/todos/${id}/priority`, { priority: 'high' }],
      ['delete', `/todos/${id}`, undefined],
    ] as const) {
      const res = await (method === 'put' ? http().put(path).send(payload) : http().delete(path)).expect(409);
      expect(res.body.code).toBe('TODO.DELETED');
    }
    await waitFor('the view to drop the deleted todo', async () => (await http().get(`/todos/${id}`)).status === 404);
    const list = await http().get('/todos').expect(200);
    expect(list.body.map((t: { id: number }) => t.id)).not.toContain(id);

    const after = await waitFor('analytics to count the reopen and the deletion', async () => {
      const s = await summary();
      return s.todos_deleted === before.todos_deleted + 1 && s.reopens === before.reopens + 1 && s;
    });
    expect(after).toMatchObject({
      todos_created: before.todos_created + 1,
      todos_completed: before.todos_completed,
      completions: before.completions + 1,
    });
    const stream = await http().get(`/todos/${id}/events`).expect(200);
    expect(stream.body.map((e: { event: { event_type: string } }) => e.event.event_type)).toEqual([
      'todo.created',
      'todo.edited',
      'todo.completed',
      'todo.reopened',
      'todo.deleted',
    ]);
  });

  it('pages through the global event stream in commit order, by type, without gaps (as an admin: every user)', async () => {
    const admin = () => api(platform.todo.getHttpServer(), ADMIN_TOKEN);
    const all: { position: number; event: { event_type: string; event_id: string } }[] = [];
    for (let after = 0; ;) {
      const page = await admin().get(`/events?after=${after}&limit=7`).expect(200);
      all.push(...page.body.events);
      if (page.body.events.length === 0) break;
      after = page.body.next_after;
    }
    const positions = all.map((e) => e.position);
    expect(positions).toEqual(Array.from({ length: positions.length }, (_, i) => i + 1));
    // Every page says where the stream ends, so a reader can tell how far behind it is.
    const first = await admin().get('/events?after=0&limit=1').expect(200);
    expect(first.body.head_position).toBe(positions.length);
    expect(first.body.next_after).toBe(1);
    expect(all[0].event.event_type).toBe('user.registered');

    const completed = await http().get('/events?type=todo.completed&limit=1000').expect(200);
    expect(completed.body.events.length).toBeGreaterThan(0);
    expect(completed.body.events.every((e: { event: { event_type: string } }) => e.event.event_type === 'todo.completed')).toBe(true);
    const invalid = await http().get('/events?after=-1&type=DROP TABLE').expect(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['after', 'type']);
  });
});
