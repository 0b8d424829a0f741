import type { Channel, ConsumeMessage } from 'amqplib';
import { AckCoalescer } from './ack-coalescer';

/** Records the frames the coalescer would send. */
function recordingChannel() {
  const frames: string[] = [];
  const channel = {
    ack: (m: ConsumeMessage, allUpTo?: boolean) => frames.push(`${allUpTo ? 'ack≤' : 'ack '}${m.fields.deliveryTag}`),
    nack: (m: ConsumeMessage, allUpTo?: boolean, requeue?: boolean) => frames.push(`nack ${m.fields.deliveryTag} requeue=${requeue}`),
    reject: (m: ConsumeMessage, requeue?: boolean) => frames.push(`reject ${m.fields.deliveryTag} requeue=${requeue}`),
  } as unknown as Channel;
  return { channel, frames };
}

const message = (deliveryTag: number) => ({ fields: { deliveryTag } }) as ConsumeMessage;

function deliver(acker: AckCoalescer, count: number): ConsumeMessage[] {
  const messages = Array.from({ length: count }, (_, i) => message(i + 1));
  for (const m of messages) acker.received(m);
  return messages;
}

describe('AckCoalescer', () => {
  it('acks a finished run at the front with one frame', () => {
    const { channel, frames } = recordingChannel();
    const acker = new AckCoalescer(channel);
    const m = deliver(acker, 5);

    for (const each of m) acker.ack(each);
    acker.flush();

    expect(frames).toEqual(['ack≤5']);
  });

  it('never covers a delivery still being handled: finished ones behind it are acked singly', () => {
    const { channel, frames } = recordingChannel();
    const acker = new AckCoalescer(channel);
    const m = deliver(acker, 6);

    for (const i of [0, 1, 3, 5]) acker.ack(m[i]);
    acker.flush();
    expect(frames).toEqual(['ack≤2', 'ack 4', 'ack 6']);

    acker.ack(m[2]);
    acker.ack(m[4]);
    acker.flush();
    expect(frames.slice(3)).toEqual(['ack≤5']);
  });

  it('sends a requeue at once and acks past it afterwards', () => {
    const { channel, frames } = recordingChannel();
    const acker = new AckCoalescer(channel);
    const m = deliver(acker, 3);

    acker.ack(m[0]);
    acker.requeue(m[1]);
    acker.ack(m[2]);
    acker.flush();

    // basic.reject, not basic.nack: RabbitMQ 4.3 counts only the former toward a quorum queue's delivery limit.
    expect(frames).toEqual(['reject 2 requeue=true', 'ack≤3']);
  });

  it('flushes by itself in the next turn of the event loop', async () => {
    const { channel, frames } = recordingChannel();
    const acker = new AckCoalescer(channel);
    const m = deliver(acker, 2);

    acker.ack(m[0]);
    acker.ack(m[1]);
    expect(frames).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));

    expect(frames).toEqual(['ack≤2']);
  });

  it('tells each settlement once its frame is written, and the error when the channel is gone', () => {
    const { channel, frames } = recordingChannel();
    const acker = new AckCoalescer(channel);
    const m = deliver(acker, 4);
    const told: string[] = [];
    const tell = (tag: number) => (error?: unknown) => told.push(`${tag}${error ? ` failed: ${(error as Error).message}` : ''}`);

    acker.ack(m[0], tell(1));
    acker.requeue(m[1], tell(2));
    acker.ack(m[3], tell(4));
    expect(told).toEqual(['2']);
    acker.flush();
    expect(frames).toEqual(['reject 2 requeue=true', 'ack≤1', 'ack 4']);
    expect(told).toEqual(['2', '1', '4']);

    (channel as unknown as { ack: () => void }).ack = () => {
      throw new Error('Channel closed');
    };
    acker.ack(m[2], tell(3));
    acker.flush();
    expect(told).toEqual(['2', '1', '4', '3 failed: Channel closed']);
  });

  it('tells a settlement of a delivery this channel does not hold that it failed, and no frame goes out', () => {
    const { channel, frames } = recordingChannel();
    const acker = new AckCoalescer(channel);
    const told: unknown[] = [];

    acker.ack(message(7), (error) => told.push(error));
    acker.flush();

    expect(frames).toEqual([]);
    expect(told).toEqual([expect.objectContaining({ message: 'delivery 7 is not open on this channel' })]);
  });

  it('tells a requeue once, even when the one told throws', () => {
    const { channel } = recordingChannel();
    const acker = new AckCoalescer(channel);
    const [first] = deliver(acker, 1);
    let calls = 0;

    expect(() =>
      acker.requeue(first, () => {
        calls += 1;
        throw new Error('listener failed');
      }),
    ).toThrow('listener failed');
    expect(calls).toBe(1);
  });
});
