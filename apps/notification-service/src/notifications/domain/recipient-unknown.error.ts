/**
 * No address is known yet for the user. Transient: user.registered may still be on
 * its way, so the event is retried (and dead-lettered if it never arrives).
 */
export class RecipientUnknownError extends Error {
  readonly code = 'NOTIFICATION.RECIPIENT_UNKNOWN';
  constructor(userId: number) {
    super(`no address known for user ${userId}`);
    this.name = 'RecipientUnknownError';
  }
}
