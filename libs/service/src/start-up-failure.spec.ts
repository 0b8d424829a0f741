import { ConfigError } from '@todo/config';
import { explainStartUpFailure } from './start-up-failure';

/** An error as the pg, amqplib and net modules raise it: a message and the fields they set. */
const failure = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);

const LOCAL = {
  databaseUrl: 'postgres://todo_service:todo_service@127.0.0.1:5432/todo_platform',
  amqpUrls: ['amqp://todo-service:todo-service@127.0.0.1:5672'],
};

describe('explainStartUpFailure', () => {
  it('names every variable of an invalid configuration, with what is wrong with each', () => {
    const error = new ConfigError(['JWT_TTL_SECONDS must not be less than 30', 'AMQP_URL must be an amqp:// or amqps:// URL']);

    const explained = explainStartUpFailure(error);

    expect(explained).toMatchObject({ cause: 'invalid-configuration', variables: ['JWT_TTL_SECONDS', 'AMQP_URL'] });
    expect(explained.hint).toContain('fix JWT_TTL_SECONDS, AMQP_URL: JWT_TTL_SECONDS must not be less than 30;');
    expect(explained.hint).toContain('.env.example');
  });

  it.each([
    ['a missing role', failure('role "todo_service" does not exist', { code: '28000' }), 'postgres-role-missing', 'todo_service'],
    [
      'a refused password',
      failure('password authentication failed for user "todo_service"', { code: '28P01' }),
      'postgres-password-refused',
      'DB_PASSWORD_<ROLE>',
    ],
    ['a missing database', failure('database "todo_platform" does not exist', { code: '3D000' }), 'postgres-database-missing', 'Database'],
    [
      'a schema the role may not create',
      failure('permission denied for database todo_platform', { code: '42501' }),
      'postgres-schema-not-provisioned',
      'schema',
    ],
  ])('sends %s in PostgreSQL to npm run setup:local', (_, error, cause, named) => {
    const explained = explainStartUpFailure(error, LOCAL);

    expect(explained.cause).toBe(cause);
    expect(explained.hint).toContain('run `npm run setup:local`');
    expect(explained.hint).toContain(named);
  });

  it('does not send a pg_hba.conf refusal to setup:local, which cannot change it', () => {
    const error = failure('no pg_hba.conf entry for host "10.0.0.5", user "todo_service"', { code: '28000' });

    expect(explainStartUpFailure(error, LOCAL)).toMatchObject({
      cause: 'postgres-access-refused',
      hint: expect.stringContaining('pg_hba.conf'),
    });
  });

  it('asks whether PostgreSQL runs when nothing answers on the port of DATABASE_URL', () => {
    const error = failure('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 5432 });

    expect(explainStartUpFailure(error, LOCAL)).toEqual({
      cause: 'postgres-unreachable',
      hint: expect.stringContaining('is PostgreSQL running on 127.0.0.1:5432?'),
    });
  });

  it('asks whether RabbitMQ runs when nothing answers on the port of AMQP_URL', () => {
    const error = failure('connect ECONNREFUSED 127.0.0.1:5672', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 5672 });

    expect(explainStartUpFailure(error, LOCAL)).toMatchObject({
      cause: 'rabbitmq-unreachable',
      hint: expect.stringContaining('is RabbitMQ running on 127.0.0.1:5672?'),
    });
  });

  it('tells the dependencies apart by the ports the configuration gives them', () => {
    const error = failure('connect ECONNREFUSED 127.0.0.1:6432', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 6432 });

    expect(explainStartUpFailure(error, { ...LOCAL, databaseUrl: 'postgres://todo@127.0.0.1:6432/todo' }).cause).toBe(
      'postgres-unreachable',
    );
    expect(explainStartUpFailure(error, LOCAL).cause).toBe('connection-refused');
  });

  it('reads a refused connection to localhost, which Node reports as one AggregateError for ::1 and 127.0.0.1', () => {
    const error = Object.assign(
      new AggregateError([
        failure('connect ECONNREFUSED ::1:5432', { code: 'ECONNREFUSED', address: '::1', port: 5432 }),
        failure('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 5432 }),
      ]),
      { code: 'ECONNREFUSED' },
    );

    expect(explainStartUpFailure(error, LOCAL).cause).toBe('postgres-unreachable');
  });

  it('sends a RabbitMQ login refusal to setup:local, which creates the broker users', () => {
    const error = failure(
      'Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile."',
    );

    const explained = explainStartUpFailure(error, LOCAL);

    expect(explained.cause).toBe('rabbitmq-login-refused');
    expect(explained.hint).toContain('run `npm run setup:local` (creates the broker users: one per service');
  });

  it('sends a RabbitMQ right refused on the topology to setup:local, which grants each user its rights', () => {
    const error = failure(
      "Operation failed: ExchangeDeclare; 403 (ACCESS-REFUSED) with message \"ACCESS_REFUSED - access to exchange 'todo-events' in vhost '/' refused for user 'todo-service'\"",
    );

    expect(explainStartUpFailure(error, LOCAL)).toMatchObject({
      cause: 'rabbitmq-rights-missing',
      hint: expect.stringContaining('setup:local'),
    });
  });

  it('sends a missing vhost to setup:local', () => {
    const error = failure('Handshake terminated by server: 530 (NOT-ALLOWED) with message "NOT_ALLOWED - vhost todo not found"');

    expect(explainStartUpFailure(error, LOCAL)).toMatchObject({
      cause: 'rabbitmq-vhost-missing',
      hint: expect.stringContaining('AMQP_VHOST'),
    });
  });

  it('names the port another process holds', () => {
    const error = failure('listen EADDRINUSE: address already in use 127.0.0.1:8081', {
      code: 'EADDRINUSE',
      address: '127.0.0.1',
      port: 8081,
    });

    expect(explainStartUpFailure(error, LOCAL)).toMatchObject({
      cause: 'port-in-use',
      hint: expect.stringContaining('127.0.0.1:8081 is taken'),
    });
  });

  it('gives no hint for a failure it cannot place, so the stack is kept', () => {
    expect(explainStartUpFailure(new TypeError('x is not a function'), LOCAL)).toEqual({ cause: 'unexpected' });
  });
});
