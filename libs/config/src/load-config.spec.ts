// class-transformer's @Type reads design-time metadata; the services load this via Nest.
import 'reflect-metadata';
import { ConfigError, loadConfig } from './load-config';
import { ServiceEnv } from './service-env';

class TestEnv extends ServiceEnv {
  override PORT = 1234;
  override DB_SCHEMA = 'test';
}

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(TestEnv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig', () => {
  const defaults = {
    PORT: 1234,
    HOST: '127.0.0.1',
    DATABASE_URL: 'postgres://todo:todo@127.0.0.1:5432/todo_platform',
    DB_SCHEMA: 'test',
    DB_POOL_SIZE: 10,
    AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  };

  it('returns an instance of the schema class', () => {
    expect(loadConfig(TestEnv, {})).toBeInstanceOf(TestEnv);
  });

  it('keeps the defaults when no variable is set', () => {
    expect(loadConfig(TestEnv, {})).toMatchObject(defaults);
  });

  it('treats undefined and empty-string variables as unset', () => {
    const config = loadConfig(TestEnv, { PORT: '', HOST: undefined, LOG_LEVEL: '', DB_POOL_SIZE: '' });

    expect(config).toMatchObject(defaults);
  });

  it('converts numeric strings to numbers', () => {
    const config = loadConfig(TestEnv, { PORT: '9000', DB_POOL_SIZE: '25' });

    expect(config.PORT).toBe(9000);
    expect(config.DB_POOL_SIZE).toBe(25);
  });

  it('takes string variables as given', () => {
    const config = loadConfig(TestEnv, {
      DATABASE_URL: 'postgresql://app:secret@db:5432/app',
      AMQP_URL: 'amqps://broker:5671',
      LOG_LEVEL: 'debug',
      DB_SCHEMA: 'todo_service',
    });

    expect(config).toMatchObject({
      DATABASE_URL: 'postgresql://app:secret@db:5432/app',
      AMQP_URL: 'amqps://broker:5671',
      LOG_LEVEL: 'debug',
      DB_SCHEMA: 'todo_service',
    });
  });

  it('throws a ConfigError for a single invalid value', () => {
    expect(() => loadConfig(TestEnv, { PORT: 'abc' })).toThrow(ConfigError);
  });

  it('lists every problem, not just the first', () => {
    const error = configError({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });

    expect(error.message).toMatch(/PORT/);
    expect(error.message).toContain('DATABASE_URL must be a postgres:// connection string');
    expect(error.message).toMatch(/LOG_LEVEL/);
    expect(error.problems.some((p) => p.startsWith('PORT'))).toBe(true);
    expect(error.problems.some((p) => p.startsWith('LOG_LEVEL'))).toBe(true);
  });

  it('rejects a port outside 1..65535', () => {
    expect(configError({ PORT: '70000' }).problems).toEqual([expect.stringContaining('PORT')]);
  });

  it('rejects a DB_SCHEMA that is not a lower-case SQL identifier', () => {
    expect(configError({ DB_SCHEMA: 'Todo-Service' }).problems).toEqual(['DB_SCHEMA must be a lower-case SQL identifier']);
  });

  it('refuses to start in production with the development signing key, and accepts a key of its own', () => {
    expect(configError({ NODE_ENV: 'production' }).problems).toEqual([
      'JWT_SECRET must be set to a key of your own when NODE_ENV is production',
    ]);
    expect(loadConfig(TestEnv, { NODE_ENV: 'production', JWT_SECRET: 'k'.repeat(40) }).JWT_SECRET).toBe('k'.repeat(40));
  });

  it('refuses a signing key shorter than 32 characters', () => {
    expect(configError({ JWT_SECRET: 'short' }).problems).toEqual(['JWT_SECRET must be at least 32 characters']);
  });

  it('takes a cluster as a list of broker URLs, one per node, and falls back to AMQP_URL', () => {
    expect(loadConfig(TestEnv, {}).amqpUrls()).toEqual(['amqp://guest:guest@127.0.0.1:5672']);
    const urls = 'amqp://a:b@127.0.0.1:5701, amqp://a:b@127.0.0.1:5702,amqp://a:b@127.0.0.1:5703';
    expect(loadConfig(TestEnv, { AMQP_URLS: urls }).amqpUrls()).toEqual([
      'amqp://a:b@127.0.0.1:5701',
      'amqp://a:b@127.0.0.1:5702',
      'amqp://a:b@127.0.0.1:5703',
    ]);
    expect(configError({ AMQP_URLS: 'amqp://a:b@127.0.0.1:5701,,http://x' }).problems).toEqual([
      'AMQP_URLS must be a comma-separated list of amqp:// or amqps:// URLs, one per broker node',
    ]);
  });

  it('declares classic queues unless told quorum, with a delivery limit of at least 2', () => {
    expect(loadConfig(TestEnv, {})).toMatchObject({ QUEUE_TYPE: 'classic', QUEUE_DELIVERY_LIMIT: 20 });
    expect(loadConfig(TestEnv, { QUEUE_TYPE: 'quorum', QUEUE_DELIVERY_LIMIT: '5' })).toMatchObject({
      QUEUE_TYPE: 'quorum',
      QUEUE_DELIVERY_LIMIT: 5,
    });
    expect(configError({ QUEUE_TYPE: 'mirrored' }).problems).toEqual([
      expect.stringContaining('QUEUE_TYPE must be one of the following values: classic, quorum'),
    ]);
    expect(configError({ QUEUE_DELIVERY_LIMIT: '1' }).problems).toEqual([expect.stringContaining('QUEUE_DELIVERY_LIMIT')]);
  });

  it('reads the messaging conventions from OTEL_SEMCONV_STABILITY_OPT_IN: the old ones unless it asks otherwise', () => {
    expect(loadConfig(TestEnv, {}).semconvStability('messaging')).toBe('old');
    expect(loadConfig(TestEnv, { OTEL_SEMCONV_STABILITY_OPT_IN: 'http,messaging' }).semconvStability('messaging')).toBe('new');
    expect(loadConfig(TestEnv, { OTEL_SEMCONV_STABILITY_OPT_IN: 'messaging/dup' }).semconvStability('messaging')).toBe('dup');
    expect(configError({ OTEL_SEMCONV_STABILITY_OPT_IN: 'messaging;http' }).problems).toEqual([
      expect.stringContaining('OTEL_SEMCONV_STABILITY_OPT_IN must be a comma-separated list'),
    ]);
  });
});
