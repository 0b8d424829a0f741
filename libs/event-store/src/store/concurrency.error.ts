/** Another writer appended to the stream since it was read. */
export class ConcurrencyError extends Error {
  readonly code = 'STREAM.CONCURRENT_WRITE';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(`stream ${streamId} has moved past version ${expectedVersion}`);
    this.name = 'ConcurrencyError';
  }
}
