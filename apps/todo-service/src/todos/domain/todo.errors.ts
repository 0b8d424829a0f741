import { DomainError } from '../../shared-kernel/domain-error';

export class TodoNotFoundError extends DomainError {
  constructor(todoId: number) {
    super('TODO.NOT_FOUND', `todo ${todoId} does not exist`);
  }
}

export class TodoAlreadyCompletedError extends DomainError {
  constructor(todoId: number) {
    super('TODO.ALREADY_COMPLETED', `todo ${todoId} is already completed`);
  }
}

export class TodoAlreadyExistsError extends DomainError {
  constructor(todoId: number) {
    super('TODO.ALREADY_EXISTS', `todo ${todoId} already exists`);
  }
}

export class TodoOwnerUnknownError extends DomainError {
  constructor(userId: number) {
    super('TODO.UNKNOWN_USER', `user_id ${userId} does not name a registered user`);
  }
}
