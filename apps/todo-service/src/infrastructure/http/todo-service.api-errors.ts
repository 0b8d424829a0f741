import { describeErrors } from '@todo/http-api';
import { TODO_SERVICE_ERROR_STATUSES } from './todo-service.error-statuses';

/** What each error code an endpoint of this service can answer with means to a client, for its API document. */
export const TODO_SERVICE_ERRORS = describeErrors(TODO_SERVICE_ERROR_STATUSES, {
  'TODO.NOT_FOUND': "no todo of the caller has this id (another user's todo is answered the same way)",
  'TODO.DELETED': 'the todo is deleted; nothing can change it any more',
  'TODO.ALREADY_COMPLETED': 'the todo is completed',
  'TODO.NOT_COMPLETED': 'the todo is not completed, so there is nothing to reopen',
  'TODO.UNKNOWN_USER': 'the token names a user who is not registered (here)',
  'TODO.VERSION_MISMATCH':
    'If-Match names a version the todo has moved past (reload it and decide again), or is a weak ETag, which never matches',
  'TODO.VIEW_BEHIND': 'the view did not reach `min_version` within 2 s; retry after Retry-After seconds',
  'USER.EMAIL_TAKEN': 'a user with this email (compared in lower case) is registered already',
  'STREAM.CONCURRENT_WRITE': 'other writers changed the todo at the same moment, three attempts running; retry',
});
