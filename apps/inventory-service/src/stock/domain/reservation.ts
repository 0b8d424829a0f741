import { OrderLine, ShortLine } from '@todo/events';

/** What the stock holds now for the SKUs of an order; a SKU not stocked is absent. */
export type StockLevels = ReadonlyMap<string, number>;

export type ReserveDecision = { kind: 'reserve'; lines: OrderLine[] } | { kind: 'refuse'; short: ShortLine[] };

/** Lines of one SKU taken together (a command may name a SKU twice), in SKU order. */
export function mergeLines(lines: readonly OrderLine[]): OrderLine[] {
  const bySku = new Map<string, number>();
  for (const { sku, quantity } of lines) bySku.set(sku, (bySku.get(sku) ?? 0) + quantity);
  return [...bySku].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku, quantity]) => ({ sku, quantity }));
}

/** All lines or none: reserve when every line is covered, else refuse naming every line that is short. */
export function decideReservation(lines: readonly OrderLine[], stock: StockLevels): ReserveDecision {
  const merged = mergeLines(lines);
  const short = merged
    .filter(({ sku, quantity }) => (stock.get(sku) ?? 0) < quantity)
    .map(({ sku, quantity }) => ({ sku, requested: quantity, available: stock.get(sku) ?? 0 }));
  return short.length > 0 ? { kind: 'refuse', short } : { kind: 'reserve', lines: merged };
}
