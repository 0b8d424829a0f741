import { OrderCancelReason, OrderLine, ShortLine } from '@todo/events';

export const ORDER_VIEW_COLUMNS = `id, user_id, status, reason, lines, lines_short, created_at, updated_at, version`;

export interface OrderViewRow {
  id: number;
  user_id: number;
  status: 'pending' | 'confirmed' | 'cancelled';
  reason: OrderCancelReason | null;
  lines: OrderLine[];
  lines_short: ShortLine[] | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}
