import { HttpStatus } from '@nestjs/common';
import { StatusByCode } from '@todo/http-api';

/** The one place where this service's error codes become HTTP statuses. */
export const TODO_SERVICE_ERROR_STATUSES: StatusByCode = {
  'TODO.NOT_FOUND': HttpStatus.NOT_FOUND,
  'TODO.ALREADY_EXISTS': HttpStatus.CONFLICT,
  'TODO.ALREADY_COMPLETED': HttpStatus.CONFLICT,
  'TODO.UNKNOWN_USER': HttpStatus.UNPROCESSABLE_ENTITY,
  'TODO.DELETED': HttpStatus.CONFLICT,
  'TODO.NOT_COMPLETED': HttpStatus.CONFLICT,
  'TODO.VERSION_MISMATCH': HttpStatus.PRECONDITION_FAILED,
  'TODO.VIEW_BEHIND': HttpStatus.SERVICE_UNAVAILABLE,
  'USER.ALREADY_EXISTS': HttpStatus.CONFLICT,
  'USER.EMAIL_TAKEN': HttpStatus.CONFLICT,
  'STREAM.CONCURRENT_WRITE': HttpStatus.CONFLICT,
};
