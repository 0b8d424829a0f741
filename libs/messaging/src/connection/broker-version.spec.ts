import type { Channel } from 'amqplib';
import { brokerVersionOf, isAtLeast, parseBrokerVersion, quorumQueuesLimitDeliveries, unlimitedDeliveries } from './broker-version';

describe('the broker version', () => {
  it('reads the versions RabbitMQ announces, a generic build’s and an image line', () => {
    expect(parseBrokerVersion('3.10.8')).toEqual({ major: 3, minor: 10, text: '3.10.8' });
    expect(parseBrokerVersion('4.3.5')).toEqual({ major: 4, minor: 3, text: '4.3.5' });
    expect(parseBrokerVersion('4.0.0+2')).toEqual({ major: 4, minor: 0, text: '4.0.0+2' });
    expect(parseBrokerVersion('4.3')).toEqual({ major: 4, minor: 3, text: '4.3' });
    expect(parseBrokerVersion('4.4.0-rc.1')).toMatchObject({ major: 4, minor: 4 });
  });

  it('refuses what it cannot place rather than guess a line', () => {
    expect(() => parseBrokerVersion('')).toThrow('not a RabbitMQ version: ""');
    expect(() => parseBrokerVersion('latest')).toThrow(/not a RabbitMQ version/);
  });

  it('takes the version from what the connection the channel is on announced', () => {
    const channel = { connection: { serverProperties: { version: '4.3.5', product: 'RabbitMQ' } } } as unknown as Channel;
    expect(brokerVersionOf(channel).text).toBe('4.3.5');
  });

  it('compares by major, then minor', () => {
    const v = parseBrokerVersion('4.2.8');
    expect([isAtLeast(v, 3, 13), isAtLeast(v, 4), isAtLeast(v, 4, 2), isAtLeast(v, 4, 3), isAtLeast(v, 5)]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('knows quorum queues limit deliveries by default from RabbitMQ 4.0 on, and lifts the limit with -1 there only', () => {
    expect(quorumQueuesLimitDeliveries(parseBrokerVersion('3.13.7'))).toBe(false);
    expect(quorumQueuesLimitDeliveries(parseBrokerVersion('4.0.0'))).toBe(true);
    expect(unlimitedDeliveries(parseBrokerVersion('3.10.8'))).toEqual({});
    expect(unlimitedDeliveries(parseBrokerVersion('4.3.5'))).toEqual({ 'x-delivery-limit': -1 });
  });
});
