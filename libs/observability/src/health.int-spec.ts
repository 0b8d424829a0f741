import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HttpErrorFilter } from '@todo/http-api';
import { AmqpConnection, BrokerReadiness } from '@todo/messaging';
import { HealthModule, ReadinessCheck } from './health';
import { createLogger } from './logger';

let databaseUp = true;

@Injectable()
class FlakyDatabase extends ReadinessCheck {
  readonly name = 'postgres';
  async check(): Promise<void> {
    if (!databaseUp) throw new Error('connection refused');
  }
}

describe('readiness', () => {
  it('answers 503 naming the dependency that is down, and 200 once it is back', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [HealthModule.forRoot([FlakyDatabase])] }).compile();
    const app = moduleRef.createNestApplication();
    app.useGlobalFilters(new HttpErrorFilter(createLogger({ service: 'test', level: 'silent' })));
    await app.init();
    try {
      databaseUp = false;
      const down = await request(app.getHttpServer()).get('/health/ready').expect(503);
      expect(down.body).toMatchObject({
        statusCode: 503,
        details: { status: 'error', error: { postgres: { status: 'down', message: 'connection refused' } } },
      });
      await request(app.getHttpServer()).get('/health/live').expect(200);

      databaseUp = true;
      const up = await request(app.getHttpServer()).get('/health/ready').expect(200);
      expect(up.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' } } });
    } finally {
      await app.close();
    }
  });

  it('is not ready while the broker is unreachable', async () => {
    const connection = new AmqpConnection({
      urls: ['amqp://guest:guest@127.0.0.1:1'],
      connectionName: 'nowhere',
      logger: createLogger({ service: 'test', level: 'silent' }),
    });
    try {
      await expect(new BrokerReadiness(connection).check()).rejects.toThrow('not connected');
    } finally {
      await connection.close();
    }
  });
});
