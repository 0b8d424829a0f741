import { DomainError } from '@todo/events';

export class UnknownSkuError extends DomainError {
  constructor(sku: string) {
    super('INVENTORY.UNKNOWN_SKU', `no stock is kept for SKU ${sku}`);
  }
}
