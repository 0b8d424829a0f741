import { DomainError } from '@todo/events';

/** The view did not reach the version the client asked for within the wait: retry shortly. */
export class TodoViewNotCaughtUpError extends DomainError {
  constructor(todoId: number, minVersion: number, viewVersion: number) {
    super('TODO.VIEW_BEHIND', `the view of todo ${todoId} is at version ${viewVersion}, not yet ${minVersion}; retry shortly`);
  }
}
