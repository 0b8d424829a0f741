/**
 * One lane per key (an aggregate, a command's target): the messages of one key are
 * handled one after another, in the order they arrived; messages of other keys go on in
 * parallel. Lanes exist only while they have work, so the map holds the keys in flight.
 */
export class AggregateLanes {
  private readonly lanes = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.lanes.get(key);
    const current = previous ? previous.then(work, work) : work();
    const settled = current.then(
      () => undefined,
      () => undefined,
    );
    this.lanes.set(key, settled);
    try {
      return await current;
    } finally {
      if (this.lanes.get(key) === settled) this.lanes.delete(key);
    }
  }

  /** Keys with work in flight. */
  get size(): number {
    return this.lanes.size;
  }
}
