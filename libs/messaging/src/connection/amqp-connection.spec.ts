import { brokerNodeOf } from './amqp-connection';

describe('brokerNodeOf', () => {
  it('is the host and port of the URL a connection connected with, the protocol default when it names none', () => {
    expect(brokerNodeOf('amqp://user:secret@rabbit-2.internal:5702/vhost')).toEqual({ address: 'rabbit-2.internal', port: 5702 });
    expect(brokerNodeOf('amqps://[::1]')).toEqual({ address: '::1', port: 5671 });
    expect(brokerNodeOf({ hostname: '10.0.0.5', protocol: 'amqp' })).toEqual({ address: '10.0.0.5', port: 5672 });
  });
});
