import { HttpStatus } from '@nestjs/common';
import { StatusByCode, describeErrors } from '@todo/http-api';

/** The one place where this service's error codes become HTTP statuses. */
export const ORDER_SERVICE_ERROR_STATUSES: StatusByCode = {
  'ORDER.NOT_FOUND': HttpStatus.NOT_FOUND,
  'ORDER.NOT_PENDING': HttpStatus.CONFLICT,
  'ORDER.ALREADY_EXISTS': HttpStatus.CONFLICT,
  'ORDER.DUPLICATE_SKU': HttpStatus.UNPROCESSABLE_ENTITY,
  'ORDER.UNKNOWN_SKU': HttpStatus.UNPROCESSABLE_ENTITY,
  'ORDER.VERSION_MISMATCH': HttpStatus.PRECONDITION_FAILED,
  'ORDER.VIEW_BEHIND': HttpStatus.SERVICE_UNAVAILABLE,
  'STREAM.CONCURRENT_WRITE': HttpStatus.CONFLICT,
};

/** What each error code means to a client, for the API document. */
export const ORDER_SERVICE_ERRORS = describeErrors(ORDER_SERVICE_ERROR_STATUSES, {
  'ORDER.NOT_FOUND': 'no order has this id',
  'ORDER.NOT_PENDING': 'the order is confirmed or cancelled already; only a pending order can be cancelled',
  'ORDER.DUPLICATE_SKU': 'a SKU appears on two lines; put its whole quantity on one',
  'ORDER.UNKNOWN_SKU': 'inventory has never stocked a SKU the order names',
  'ORDER.VERSION_MISMATCH': 'If-Match names a version the order has moved past, or is a weak ETag',
  'ORDER.VIEW_BEHIND': 'the view did not reach `min_version` within 2 s; retry after Retry-After seconds',
  'STREAM.CONCURRENT_WRITE': 'the saga changed the order at the same moment, three attempts running; retry',
});
