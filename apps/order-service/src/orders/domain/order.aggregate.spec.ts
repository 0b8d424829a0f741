import { OrderDomainEvent, decide, rebuild } from './order.aggregate';

const placed: OrderDomainEvent = {
  type: 'order.created',
  version: 1,
  data: { order_id: 7, user_id: 1, lines: [{ sku: 'KB-1', quantity: 2 }] },
};

describe('the order aggregate', () => {
  it('places an order as order.created', () => {
    expect(decide({ type: 'PlaceOrder', orderId: 7, userId: 1, lines: [{ sku: 'KB-1', quantity: 2 }] }, undefined)).toEqual([placed]);
  });

  it('refuses a SKU on two lines', () => {
    expect(() =>
      decide(
        {
          type: 'PlaceOrder',
          orderId: 7,
          userId: 1,
          lines: [
            { sku: 'A', quantity: 1 },
            { sku: 'A', quantity: 2 },
          ],
        },
        undefined,
      ),
    ).toThrow(expect.objectContaining({ code: 'ORDER.DUPLICATE_SKU' }));
  });

  it('confirms a pending order, carrying its lines', () => {
    expect(decide({ type: 'ConfirmOrder', orderId: 7 }, rebuild([placed]))).toEqual([
      { type: 'order.confirmed', version: 1, data: { order_id: 7, user_id: 1, lines: [{ sku: 'KB-1', quantity: 2 }] } },
    ]);
  });

  it('cancels a pending order with its reason and the short lines', () => {
    const short = [{ sku: 'KB-1', requested: 2, available: 1 }];
    const events = decide({ type: 'CancelOrder', orderId: 7, reason: 'out_of_stock', linesShort: short }, rebuild([placed]));
    expect(events).toEqual([
      { type: 'order.cancelled', version: 1, data: { order_id: 7, user_id: 1, reason: 'out_of_stock', lines_short: short } },
    ]);
    expect(rebuild([placed, ...events])).toMatchObject({ status: 'cancelled', reason: 'out_of_stock', linesShort: short });
  });

  it('lets an order end once: no second outcome', () => {
    const confirmed = rebuild([placed, ...decide({ type: 'ConfirmOrder', orderId: 7 }, rebuild([placed]))]);
    expect(() => decide({ type: 'CancelOrder', orderId: 7, reason: 'timeout' }, confirmed)).toThrow(
      expect.objectContaining({ code: 'ORDER.NOT_PENDING' }),
    );
    expect(() => decide({ type: 'ConfirmOrder', orderId: 7 }, confirmed)).toThrow(expect.objectContaining({ code: 'ORDER.NOT_PENDING' }));
  });

  it('knows no order before order.created', () => {
    expect(() => decide({ type: 'ConfirmOrder', orderId: 8 }, undefined)).toThrow(expect.objectContaining({ code: 'ORDER.NOT_FOUND' }));
  });
});
