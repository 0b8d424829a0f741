import { PlatformEvent } from '@todo/events';

export interface Delivery {
  /** The consuming service's queue name; also its identity in the inbox. */
  consumer: string;
  event: PlatformEvent;
}

/**
 * Wraps a handler call in a unit of work. The platform's implementation is the
 * durable inbox: it records the event id and runs the handler in one database
 * transaction, and reports `duplicate` without calling the handler when the event
 * was already processed.
 */
export abstract class MessageProcessing {
  abstract process(delivery: Delivery, handle: (scope: unknown) => Promise<void>): Promise<'processed' | 'duplicate'>;
}
