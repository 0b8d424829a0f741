/**
 * A broken business rule, with a stable code clients can switch on
 * (`TODO.ALREADY_COMPLETED`). The codes are part of the platform's contract: HTTP answers
 * carry them (each service maps codes to statuses in one place), and so do dead letters.
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
