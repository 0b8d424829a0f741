import { AsyncLocalStorage } from 'node:async_hooks';

export interface CorrelationScope {
  correlationId: string;
  /** Id of the request or message being handled: the causation id of what it emits. */
  causationId: string;
}

const storage = new AsyncLocalStorage<CorrelationScope>();

/** Carries the correlation of the current request or message through async calls. */
export const Correlation = {
  run<T>(scope: CorrelationScope, fn: () => T): T {
    return storage.run(scope, fn);
  },
  current(): CorrelationScope | undefined {
    return storage.getStore();
  },
  /** The current scope; throws when called outside a request or message handler. */
  require(): CorrelationScope {
    const scope = storage.getStore();
    if (!scope) throw new Error('no correlation scope: not inside a request or message handler');
    return scope;
  },
};
