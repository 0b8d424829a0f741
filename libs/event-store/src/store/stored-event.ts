import { PlatformEvent } from '@todo/events';

/** An event as read back from the store. */
export interface StoredEvent<TEvent extends PlatformEvent = PlatformEvent> {
  /** Global position: commit order across all streams, from 1. */
  position: number;
  /** Position within its stream, from 1. */
  version: number;
  event: TEvent;
}

export interface Causation {
  correlationId: string;
  causationId: string;
}
