import { MessageMeta } from '@todo/events';

/** One validated message on its way to its handler. */
export interface Delivery {
  /** The consuming service's queue name; also its identity in the inbox. */
  consumer: string;
  meta: MessageMeta;
  /** The message as validated and upcast: an event or a command. */
  message: Record<string, unknown>;
}

export type ProcessingOutcome = 'processed' | 'duplicate';

/**
 * Wraps a handler call in a unit of work. The platform's implementation is the durable
 * inbox (libs/event-store): it records the message id and runs the handler in one
 * database transaction, and reports `duplicate` without calling the handler when the
 * message was already processed. `handle` receives the unit of work's scope (the inbox
 * transaction), which reaches the handler as its context.
 */
export abstract class MessageProcessing {
  abstract process(delivery: Delivery, handle: (scope: object) => Promise<void>): Promise<ProcessingOutcome>;
}

/** Runs the handler without a unit of work: for consumers whose effects need no transaction (and for benchmarks). */
export class DirectProcessing extends MessageProcessing {
  async process(_delivery: Delivery, handle: (scope: object) => Promise<void>): Promise<ProcessingOutcome> {
    await handle({});
    return 'processed';
  }
}
