/**
 * A broken business rule, with a stable code clients can switch on
 * (`TODO.ALREADY_COMPLETED`). The HTTP layer maps codes to statuses in one place.
 */
export abstract class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
