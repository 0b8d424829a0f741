import { Delivery, MessageProcessing } from '@todo/messaging';

/**
 * Makes a share of handler runs fail after the handler did its work, inside the inbox
 * transaction — so the work is rolled back and must come back through a retry. An
 * event fails at most twice, so it always succeeds within the retry budget.
 */
export class FlakyProcessing extends MessageProcessing {
  readonly failures = new Map<string, number>();
  injected = 0;

  constructor(
    private readonly inner: MessageProcessing,
    private readonly rate: number,
  ) {
    super();
  }

  process(delivery: Delivery, handle: (scope: object) => Promise<void>): Promise<'processed' | 'duplicate'> {
    return this.inner.process(delivery, async (scope) => {
      await handle(scope);
      const failed = this.failures.get(delivery.meta.id) ?? 0;
      if (failed < 2 && Math.random() < this.rate) {
        this.failures.set(delivery.meta.id, failed + 1);
        this.injected += 1;
        throw new Error(`injected transient failure of ${delivery.consumer}`);
      }
    });
  }
}
