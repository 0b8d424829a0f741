/**
 * A dependency of the handler (the database, typically) is unreachable: the message is
 * fine and must not use up its retries or reach the dead-letter queue. The transport
 * parks it in the longest retry queue, again and again, until the dependency is back.
 */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: string,
    override readonly cause: unknown,
  ) {
    super(`${dependency} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'DependencyUnavailableError';
  }
}
