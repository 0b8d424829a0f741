import { transition } from './order-saga';

describe('the order saga', () => {
  it('starts by asking inventory to reserve', () => {
    expect(transition(undefined, { kind: 'order-placed', orderPending: true })).toMatchObject({
      state: 'reserving',
      commands: ['reserve'],
    });
  });

  it('confirms the order when inventory reserved', () => {
    expect(transition('reserving', { kind: 'reserved' })).toMatchObject({ state: 'confirmed', outcome: { kind: 'confirm' }, commands: [] });
  });

  it('cancels the order, out of stock, with the short lines, when inventory could not reserve', () => {
    const short = [{ sku: 'KB-1', requested: 2, available: 0 }];
    expect(transition('reserving', { kind: 'reserve-failed', short })).toMatchObject({
      state: 'cancelled',
      outcome: { kind: 'cancel', reason: 'out_of_stock', short },
      commands: [],
    });
  });

  it('cancels on the deadline and releases whatever may have been reserved meanwhile', () => {
    expect(transition('reserving', { kind: 'deadline-passed' })).toMatchObject({
      state: 'cancelled',
      outcome: { kind: 'cancel', reason: 'timeout' },
      commands: ['release'],
      compensates: true,
    });
  });

  it('answers a reservation that comes after the end with a release, never with a second outcome', () => {
    const late = transition('cancelled', { kind: 'reserved' });
    expect(late).toMatchObject({ state: 'cancelled', commands: ['release'], compensates: true });
    expect(late.outcome).toBeUndefined();
    expect(transition('confirmed', { kind: 'reserved' })).toMatchObject({ state: 'confirmed', commands: [] });
    expect(transition('cancelled', { kind: 'reserve-failed', short: [] }).outcome).toBeUndefined();
    expect(transition('confirmed', { kind: 'deadline-passed' }).outcome).toBeUndefined();
  });

  it('lets the user cancel while reserving (releasing), and not after the end', () => {
    expect(transition('reserving', { kind: 'user-cancelled' })).toMatchObject({
      state: 'cancelled',
      outcome: { kind: 'cancel', reason: 'user_cancelled' },
      commands: ['release'],
    });
    expect(transition('confirmed', { kind: 'user-cancelled' }).outcome).toBeUndefined();
  });

  it('cancels an order before its saga began without asking inventory anything', () => {
    expect(transition(undefined, { kind: 'user-cancelled' })).toMatchObject({
      state: 'cancelled',
      outcome: { kind: 'cancel', reason: 'user_cancelled' },
      commands: [],
    });
    expect(transition('cancelled', { kind: 'order-placed', orderPending: false })).toMatchObject({ state: 'cancelled', commands: [] });
  });

  it('does not reserve for an order the user cancelled before the saga began', () => {
    expect(transition(undefined, { kind: 'order-placed', orderPending: false })).toMatchObject({ state: 'cancelled', commands: [] });
  });
});
