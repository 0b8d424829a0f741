import { DomainError } from '@todo/events';

export class OrderNotFoundError extends DomainError {
  constructor(orderId: number) {
    super('ORDER.NOT_FOUND', `no order ${orderId}`);
  }
}

export class OrderNotPendingError extends DomainError {
  constructor(orderId: number, status: string) {
    super('ORDER.NOT_PENDING', `order ${orderId} is ${status}; only a pending order can be confirmed or cancelled`);
  }
}

export class OrderAlreadyExistsError extends DomainError {
  constructor(orderId: number) {
    super('ORDER.ALREADY_EXISTS', `order ${orderId} already exists`);
  }
}

export class DuplicateSkuError extends DomainError {
  constructor(sku: string) {
    super('ORDER.DUPLICATE_SKU', `SKU ${sku} appears on two lines; put its whole quantity on one`);
  }
}

export class UnknownSkuError extends DomainError {
  constructor(skus: string[]) {
    super('ORDER.UNKNOWN_SKU', `inventory has never stocked ${skus.join(', ')}`);
  }
}

export class OrderVersionMismatchError extends DomainError {
  constructor(orderId: number, expected: number, actual: number) {
    super('ORDER.VERSION_MISMATCH', `order ${orderId} is at version ${actual}, not ${expected}`);
  }
}
