import { DomainError } from '@todo/events';

export class UserAlreadyExistsError extends DomainError {
  constructor(userId: number) {
    super('USER.ALREADY_EXISTS', `user ${userId} already exists`);
  }
}

export class UserEmailTakenError extends DomainError {
  constructor(email: string) {
    super('USER.EMAIL_TAKEN', `email ${email} is already registered`);
  }
}
