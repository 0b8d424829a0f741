import { DomainError } from '@todo/events';

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
    super('TODO.UNKNOWN_USER', `user ${userId} is not registered`);
  }
}

export class TodoDeletedError extends DomainError {
  constructor(todoId: number) {
    super('TODO.DELETED', `todo ${todoId} is deleted`);
  }
}

export class TodoNotCompletedError extends DomainError {
  constructor(todoId: number) {
    super('TODO.NOT_COMPLETED', `todo ${todoId} is not completed, so it cannot be reopened`);
  }
}

/** The client's If-Match named a version the todo has moved past. */
export class TodoVersionMismatchError extends DomainError {
  constructor(todoId: number, expected: number, actual: number) {
    super('TODO.VERSION_MISMATCH', `todo ${todoId} is at version ${actual}, not ${expected}: reload it and try again`);
  }
}
