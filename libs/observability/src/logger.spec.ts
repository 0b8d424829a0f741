import { Writable } from 'node:stream';
import { Correlation } from './correlation';
import { createLogger } from './logger';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('createLogger', () => {
  it('writes one JSON object a line by default, with the service and the correlation id of the flow', () => {
    const out = sink();
    const logger = createLogger({ service: 'todo-service', destination: out.stream });

    Correlation.run({ correlationId: 'req-1', causationId: 'req-1' }, () => logger.info({ port: 8081 }, 'listening'));

    expect(JSON.parse(out.text())).toMatchObject({
      level: 'info',
      service: 'todo-service',
      correlation_id: 'req-1',
      port: 8081,
      msg: 'listening',
    });
  });

  it('writes one readable line per entry with LOG_FORMAT=pretty: time, level, service, message, then the fields', () => {
    const out = sink();
    const logger = createLogger({ service: 'todo-service', format: 'pretty', destination: out.stream });

    Correlation.run({ correlationId: 'req-1', causationId: 'req-1' }, () => logger.warn({ port: 8081 }, 'listening'));

    expect(out.text()).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] WARN: todo-service: listening \{"correlation_id":"req-1","port":8081\}\n$/);
  });
});
