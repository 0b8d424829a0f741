import { EventEmitter } from 'node:events';
import { AmqpConnection } from '../connection/amqp-connection';
import { BrokerEndpoint } from './broker-endpoint';

const fakeConnection = () => ({ manager: new EventEmitter() }) as unknown as AmqpConnection & { manager: EventEmitter };

describe('BrokerEndpoint', () => {
  it('is unknown until the connection connects, then the host and port of the URL it connected with', () => {
    const connection = fakeConnection();
    const endpoint = BrokerEndpoint.of(connection);
    expect(endpoint).toMatchObject({ address: undefined, port: undefined });

    connection.manager.emit('connect', { url: 'amqp://user:secret@rabbit-2.internal:5702/vhost' });
    expect(endpoint).toMatchObject({ address: 'rabbit-2.internal', port: 5702 });

    connection.manager.emit('connect', { url: 'amqps://[::1]' });
    expect(endpoint).toMatchObject({ address: '::1', port: 5671 });

    connection.manager.emit('connect', { url: { hostname: '10.0.0.5', protocol: 'amqp' } });
    expect(endpoint).toMatchObject({ address: '10.0.0.5', port: 5672 });
  });

  it('is one per connection', () => {
    const connection = fakeConnection();
    expect(BrokerEndpoint.of(connection)).toBe(BrokerEndpoint.of(connection));
    expect(BrokerEndpoint.of(fakeConnection())).not.toBe(BrokerEndpoint.of(connection));
  });
});
