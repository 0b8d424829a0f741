import { OrderCancelled, OrderConfirmed, TodoCompleted, TodoCreated } from '@todo/events';

export interface MailContent {
  subject: string;
  body: string;
}

/** The seed's mail for a completed todo. */
export function todoCompletedMail(event: TodoCompleted): MailContent {
  return { subject: 'Todo Completed', body: `Your todo '${event.title}' has been completed!` };
}

export function todoCreatedMail(event: TodoCreated): MailContent {
  return { subject: 'Todo created', body: `Your todo '${event.title}' has been created.` };
}

const describeLines = (lines: { sku: string; quantity: number }[]): string => lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ');

export function orderConfirmedMail(event: OrderConfirmed): MailContent {
  return {
    subject: `Order ${event.order_id} confirmed`,
    body: `Your order ${event.order_id} (${describeLines(event.lines)}) is confirmed.`,
  };
}

const CANCEL_REASONS: Record<OrderCancelled['reason'], string> = {
  out_of_stock: 'not everything was in stock',
  timeout: 'the stock could not be checked in time',
  user_cancelled: 'you cancelled it',
};

export function orderCancelledMail(event: OrderCancelled): MailContent {
  const short = event.lines_short?.length
    ? ` Short: ${event.lines_short.map((l) => `${l.sku} (${l.available} of ${l.requested})`).join(', ')}.`
    : '';
  return {
    subject: `Order ${event.order_id} cancelled`,
    body: `Your order ${event.order_id} was cancelled: ${CANCEL_REASONS[event.reason]}.${short}`,
  };
}
