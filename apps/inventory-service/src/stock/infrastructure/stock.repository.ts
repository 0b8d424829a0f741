import { Injectable } from '@nestjs/common';
import { OrderLine, ShortLine } from '@todo/events';
import { DataSource, EntityManager } from 'typeorm';
import { decideReservation } from '../domain/reservation';

export interface StockLevel {
  sku: string;
  available: number;
  reserved: number;
}

interface ReservationRow {
  status: 'reserved' | 'refused' | 'released';
  lines: OrderLine[];
  lines_short: ShortLine[];
  version: number;
}

/** What a reserve came to, and the version of the reply that tells it. */
export type ReserveOutcome =
  | { kind: 'reserved'; lines: OrderLine[]; version: number }
  | { kind: 'refused'; reason: 'out_of_stock' | 'released_before_reserved'; short: ShortLine[]; version: number };

export interface ReleaseOutcome {
  /** What went back to stock: nothing when nothing was reserved. */
  lines: OrderLine[];
  version: number;
}

/**
 * Stock and reservations, in the caller's transaction (the inbox's). A reservation row is
 * locked first, then the stock rows of its SKUs in SKU order, so two orders reserving the
 * same SKUs wait for each other instead of both taking the last unit, and cannot deadlock.
 */
@Injectable()
export class StockRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Sets what is free to reserve, in the caller's transaction; returns the level and the stocking's version. */
  async set(tx: EntityManager, sku: string, available: number): Promise<StockLevel & { version: number }> {
    const [row] = await tx.query(
      `INSERT INTO stock (sku, available) VALUES ($1, $2)
       ON CONFLICT (sku) DO UPDATE SET available = EXCLUDED.available, version = stock.version + 1, updated_at = now()
       RETURNING sku, available, reserved, version`,
      [sku, available],
    );
    return row as StockLevel & { version: number };
  }

  async get(sku: string): Promise<StockLevel | undefined> {
    const [row] = await this.dataSource.query(`SELECT sku, available, reserved FROM stock WHERE sku = $1`, [sku]);
    return row as StockLevel | undefined;
  }

  /** All lines or none. A reservation already decided (a command sent again) is answered as it was. */
  async reserve(tx: EntityManager, orderId: number, lines: readonly OrderLine[]): Promise<ReserveOutcome> {
    const existing = await this.reservation(tx, orderId);
    if (existing) {
      const version = await this.bump(tx, orderId);
      if (existing.status === 'reserved') return { kind: 'reserved', lines: existing.lines, version };
      if (existing.status === 'released') return { kind: 'refused', reason: 'released_before_reserved', short: [], version };
      return { kind: 'refused', reason: 'out_of_stock', short: existing.lines_short, version };
    }
    const skus = [...new Set(lines.map((l) => l.sku))].sort();
    const levels: { sku: string; available: number }[] = await tx.query(
      `SELECT sku, available FROM stock WHERE sku = ANY($1::text[]) ORDER BY sku FOR UPDATE`,
      [skus],
    );
    const decision = decideReservation(lines, new Map(levels.map((l) => [l.sku, l.available])));
    if (decision.kind === 'refuse') {
      await tx.query(`INSERT INTO reservations (order_id, status, lines, lines_short, version) VALUES ($1, 'refused', $2, $3, 1)`, [
        orderId,
        JSON.stringify(lines),
        JSON.stringify(decision.short),
      ]);
      return { kind: 'refused', reason: 'out_of_stock', short: decision.short, version: 1 };
    }
    await tx.query(
      `UPDATE stock SET available = stock.available - x.quantity, reserved = stock.reserved + x.quantity, updated_at = now()
         FROM unnest($1::text[], $2::int[]) AS x (sku, quantity) WHERE stock.sku = x.sku`,
      [decision.lines.map((l) => l.sku), decision.lines.map((l) => l.quantity)],
    );
    await tx.query(`INSERT INTO reservations (order_id, status, lines, version) VALUES ($1, 'reserved', $2, 1)`, [
      orderId,
      JSON.stringify(decision.lines),
    ]);
    return { kind: 'reserved', lines: decision.lines, version: 1 };
  }

  /**
   * Gives back what an order holds; idempotent. A release with no reservation yet is
   * remembered, so a reserve that arrives after it is refused.
   */
  async release(tx: EntityManager, orderId: number): Promise<ReleaseOutcome> {
    const existing = await this.reservation(tx, orderId);
    if (!existing) {
      await tx.query(`INSERT INTO reservations (order_id, status, lines, version) VALUES ($1, 'released', '[]', 1)`, [orderId]);
      return { lines: [], version: 1 };
    }
    const version = await this.bump(tx, orderId);
    if (existing.status !== 'reserved') return { lines: [], version };
    await tx.query(
      `UPDATE stock SET available = stock.available + x.quantity, reserved = stock.reserved - x.quantity, updated_at = now()
         FROM unnest($1::text[], $2::int[]) AS x (sku, quantity) WHERE stock.sku = x.sku`,
      [existing.lines.map((l) => l.sku), existing.lines.map((l) => l.quantity)],
    );
    await tx.query(`UPDATE reservations SET status = 'released', updated_at = now() WHERE order_id = $1`, [orderId]);
    return { lines: existing.lines, version };
  }

  private async reservation(tx: EntityManager, orderId: number): Promise<ReservationRow | undefined> {
    const [row] = await tx.query(`SELECT status, lines, lines_short, version FROM reservations WHERE order_id = $1 FOR UPDATE`, [orderId]);
    return row as ReservationRow | undefined;
  }

  /** The next reply's version for this reservation. */
  private async bump(tx: EntityManager, orderId: number): Promise<number> {
    const [[row]] = await tx.query(`UPDATE reservations SET version = version + 1 WHERE order_id = $1 RETURNING version`, [orderId]);
    return Number(row.version);
  }
}
