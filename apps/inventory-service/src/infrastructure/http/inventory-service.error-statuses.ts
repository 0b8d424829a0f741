import { HttpStatus } from '@nestjs/common';
import { StatusByCode } from '@todo/http-api';

/** The one place where this service's error codes become HTTP statuses. */
export const INVENTORY_SERVICE_ERROR_STATUSES: StatusByCode = {
  'INVENTORY.UNKNOWN_SKU': HttpStatus.NOT_FOUND,
};
