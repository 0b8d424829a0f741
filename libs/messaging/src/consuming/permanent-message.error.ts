/**
 * Thrown by a handler when retrying cannot help (the message itself is wrong for
 * this consumer). The message goes to the dead-letter queue at once. Every other
 * error is treated as transient and retried with back-off.
 */
export class PermanentMessageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentMessageError';
  }
}
