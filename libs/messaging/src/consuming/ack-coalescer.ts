import type { Channel, ConsumeMessage } from 'amqplib';

type Settlement = 'pending' | 'ack' | 'settled';

/** Told once a settlement went out on the channel, or could not (the channel closed). */
export type OnSettled = (error?: unknown) => void;

interface Delivery {
  tag: number;
  state: Settlement;
  onSettled?: OnSettled;
}

/**
 * Settles the deliveries of one channel with as few frames as it can. A message is
 * acked only after its work is done; acks decided in the same turn of the event loop go
 * out together, as one `multiple` ack for the longest run of finished deliveries at the
 * front, and single acks for the rest.
 * A delivery that is still being handled is never covered by a `multiple` ack.
 *
 * Delivery tags grow by one per delivery on a channel, so arrival order is tag order.
 * Each settlement may come with a callback, told when its frame is written (the settle
 * span and duration end there).
 */
export class AckCoalescer {
  /** Deliveries not yet acked on the wire, oldest first. */
  private readonly open: Delivery[] = [];
  private readonly byTag = new Map<number, Delivery>();
  private flushScheduled = false;

  constructor(private readonly channel: Channel) {}

  received(message: ConsumeMessage): void {
    const entry: Delivery = { tag: message.fields.deliveryTag, state: 'pending' };
    this.open.push(entry);
    this.byTag.set(entry.tag, entry);
  }

  /** Acks the message with the next flush (in this turn of the event loop). */
  ack(message: ConsumeMessage, onSettled?: OnSettled): void {
    const entry = this.byTag.get(message.fields.deliveryTag);
    if (!entry) {
      // Received on a channel since closed: there is nothing to ack, and the broker redelivers it.
      onSettled?.(new Error(`delivery ${message.fields.deliveryTag} is not open on this channel`));
      return;
    }
    entry.state = 'ack';
    entry.onSettled = onSettled;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Returns the message to its queue now; it is no longer this channel's to ack. With
   * `basic.reject`: from RabbitMQ 4.3 a quorum queue counts a rejected message toward its
   * delivery limit and a nacked one not, and a message given back because its failure could
   * not be routed must not come back forever.
   */
  requeue(message: ConsumeMessage, onSettled?: OnSettled): void {
    const entry = this.byTag.get(message.fields.deliveryTag);
    if (entry) entry.state = 'settled';
    let failure: unknown;
    try {
      this.channel.reject(message, true);
    } catch (error) {
      // The channel is gone: the broker redelivers the message anyway.
      failure = error;
    }
    onSettled?.(failure);
  }

  /** Sends every decided ack now. */
  flush(): void {
    this.flushScheduled = false;
    const acked: Delivery[] = [];
    let upTo: number | undefined;
    while (this.open.length > 0 && this.open[0].state !== 'pending') {
      const entry = this.open.shift()!;
      this.byTag.delete(entry.tag);
      if (entry.state === 'ack') {
        upTo = entry.tag;
        acked.push(entry);
      }
    }
    const covered = acked.length;
    for (const entry of this.open) {
      if (entry.state === 'ack') {
        acked.push(entry);
        entry.state = 'settled';
      }
    }
    let sent = 0;
    let failure: unknown;
    try {
      // Covers the acked run at the front; requeued ones in it are already gone from the channel.
      if (upTo !== undefined) this.channel.ack(tagged(upTo), true);
      sent = covered;
      for (; sent < acked.length; sent++) this.channel.ack(tagged(acked[sent].tag));
    } catch (error) {
      // The channel closed under us: the broker redelivers the messages and the inbox
      // recognises them, so there is nothing to do here but say so.
      failure = error;
    }
    acked.forEach((entry, i) => entry.onSettled?.(i < sent ? undefined : failure));
    while (this.open.length > 0 && this.open[0].state === 'settled') this.byTag.delete(this.open.shift()!.tag);
  }
}

/** amqplib's ack reads only the delivery tag. */
function tagged(deliveryTag: number): ConsumeMessage {
  return { fields: { deliveryTag } } as ConsumeMessage;
}
