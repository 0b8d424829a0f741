import type { Channel, ConsumeMessage } from 'amqplib';

type Settlement = 'pending' | 'ack' | 'settled';

/**
 * Settles the deliveries of one channel with as few frames as it can. A message is
 * acked only after its work is done, as before; what changes is how: acks decided in
 * the same turn of the event loop go out together, as one `multiple` ack for the
 * longest run of finished deliveries at the front, and single acks for the rest.
 * A delivery that is still being handled is never covered by a `multiple` ack.
 *
 * Delivery tags grow by one per delivery on a channel, so arrival order is tag order.
 */
export class AckCoalescer {
  /** Deliveries not yet acked on the wire, oldest first. */
  private readonly open: { tag: number; state: Settlement }[] = [];
  private readonly byTag = new Map<number, { tag: number; state: Settlement }>();
  private flushScheduled = false;

  constructor(private readonly channel: Channel) {}

  received(message: ConsumeMessage): void {
    const entry = { tag: message.fields.deliveryTag, state: 'pending' as Settlement };
    this.open.push(entry);
    this.byTag.set(entry.tag, entry);
  }

  /** Acks the message with the next flush (in this turn of the event loop). */
  ack(message: ConsumeMessage): void {
    const entry = this.byTag.get(message.fields.deliveryTag);
    if (!entry) return;
    entry.state = 'ack';
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
  requeue(message: ConsumeMessage): void {
    const entry = this.byTag.get(message.fields.deliveryTag);
    if (entry) entry.state = 'settled';
    try {
      this.channel.reject(message, true);
    } catch {
      // The channel is gone: the broker redelivers the message anyway.
    }
  }

  /** Sends every decided ack now. */
  flush(): void {
    this.flushScheduled = false;
    let upTo: number | undefined;
    while (this.open.length > 0 && this.open[0].state !== 'pending') {
      const entry = this.open.shift()!;
      this.byTag.delete(entry.tag);
      if (entry.state === 'ack') upTo = entry.tag;
    }
    const singles: number[] = [];
    for (const entry of this.open) {
      if (entry.state === 'ack') {
        singles.push(entry.tag);
        entry.state = 'settled';
      }
    }
    try {
      // Covers the acked run at the front; requeued ones in it are already gone from the channel.
      if (upTo !== undefined) this.channel.ack(tagged(upTo), true);
      for (const tag of singles) this.channel.ack(tagged(tag));
    } catch {
      // The channel closed under us: the broker redelivers the messages and the inbox
      // recognises them, so there is nothing to do here.
    }
    while (this.open.length > 0 && this.open[0].state === 'settled') this.byTag.delete(this.open.shift()!.tag);
  }
}

/** amqplib's ack reads only the delivery tag. */
function tagged(deliveryTag: number): ConsumeMessage {
  return { fields: { deliveryTag } } as ConsumeMessage;
}
