import { Platform, startPlatform } from './support/platform';
import { queryIn } from './support/postgres';
import { api, mintToken } from './support/auth';

/** Bad input gets a 4xx JSON answer naming the field or the rule — never a 500 — and changes nothing. */
describe('todo-service HTTP errors', () => {
  let platform: Platform;
  const http = () => api(platform.todo.getHttpServer());

  beforeAll(async () => {
    platform = await startPlatform('errors');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const eventCount = async () => (await queryIn<{ n: number }>(platform.schemas.todo, 'SELECT count(*)::int AS n FROM events'))[0].n;

  it.each([
    ['an unknown field', { title: 'x', colour: 'red' }, 'colour', 'property colour should not exist'],
    ['an empty title', { title: '' }, 'title', 'title must be longer than or equal to 1 characters'],
    ['a missing title', { description: 'no title' }, 'title', 'title must be a string'],
    [
      'an unknown priority',
      { title: 'x', priority: 'urgent' },
      'priority',
      'priority must be one of the following values: low, medium, high',
    ],
    ['a user_id (the owner is the caller)', { title: 'x', user_id: 2 }, 'user_id', 'property user_id should not exist'],
  ])('rejects %s with 400 naming the field', async (_case, body, field, message) => {
    const before = await eventCount();
    const res = await http().post('/todos').set('X-Request-Id', 'bad-input').send(body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', correlation_id: 'bad-input' });
    expect(res.body.errors).toContainEqual({ field, messages: expect.arrayContaining([message]) });
    expect(await eventCount()).toBe(before);
  });

  it('rejects a body that is not JSON with 400', async () => {
    const res = await http().post('/todos').set('Content-Type', 'application/json').send('{"title":').expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
  });

  it('rejects a body over the size limit with 413', async () => {
    const res = await http()
      .post('/todos')
      .send({ title: 'x', description: 'y'.repeat(200_000) })
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413 });
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999'])('rejects the todo id %s with 400', async (id) => {
    const res = await http().put(`/todos/${id}/complete`).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'id must be a positive integer' });
  });

  it('answers 404 TODO.NOT_FOUND for a todo that does not exist, on reads and on commands', async () => {
    for (const call of [
      http().get('/todos/4242'),
      http().get('/todos/4242/events'),
      http().put('/todos/4242/complete'),
      http().put('/todos/4242/priority').send({ priority: 'high' }),
    ]) {
      const res = await call.expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'TODO.NOT_FOUND', message: 'todo 4242 does not exist' });
    }
  });

  it('answers 422 TODO.UNKNOWN_USER for a todo of a token whose user is not registered', async () => {
    const stranger = mintToken({ id: 999, email: 'stranger@example.com', roles: [] });
    const res = await api(platform.todo.getHttpServer(), stranger).post('/todos').send({ title: 'orphan' }).expect(422);
    expect(res.body).toMatchObject({ code: 'TODO.UNKNOWN_USER', message: 'user 999 is not registered' });
  });

  it('answers 409 with a stable code when a rule is broken: completing twice, changing a completed todo, a taken email', async () => {
    const { body: todo } = await http().post('/todos').send({ title: 'once' }).expect(201);
    await http().put(`/todos/${todo.id}/complete`).expect(200);
    const again = await http().put(`/todos/${todo.id}/complete`).expect(409);
    expect(again.body).toMatchObject({ code: 'TODO.ALREADY_COMPLETED', message: `todo ${todo.id} is already completed` });
    const priority = await http().put(`/todos/${todo.id}/priority`).send({ priority: 'high' }).expect(409);
    expect(priority.body.code).toBe('TODO.ALREADY_COMPLETED');

    await http().post('/users').send({ email: 'grace@example.com', name: 'Grace', password: 'a long enough password' }).expect(201);
    const taken = await http()
      .post('/users')
      .send({ email: 'GRACE@example.com', name: 'Another Grace', password: 'another long password' })
      .expect(409);
    expect(taken.body).toMatchObject({ code: 'USER.EMAIL_TAKEN' });
  });

  it('lets exactly one of many concurrent completes of a todo succeed; the others get 409 and one todo.completed is stored', async () => {
    const { body: todo } = await http().post('/todos').send({ title: 'race' }).expect(201);
    const responses = await Promise.all(Array.from({ length: 8 }, () => http().put(`/todos/${todo.id}/complete`)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const completed = await queryIn(
      platform.schemas.todo,
      `SELECT 1 FROM events WHERE aggregate_id = $1 AND event_type = 'todo.completed'`,
      [`todo-${todo.id}`],
    );
    expect(completed).toHaveLength(1);
  });

  it('answers JSON 404 for an unknown route, and serves Swagger UI at /docs', async () => {
    const res = await http().get('/nothing-here').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    const docs = await http().get('/docs/').expect(200);
    expect(docs.text).toContain('swagger');
  });
});
