import { decideReservation, mergeLines } from './reservation';

describe('decideReservation', () => {
  const stock = new Map([
    ['KB-1', 5],
    ['MS-2', 1],
  ]);

  it('reserves every line when the stock covers them all, SKUs merged and in order', () => {
    expect(
      decideReservation(
        [
          { sku: 'MS-2', quantity: 1 },
          { sku: 'KB-1', quantity: 2 },
          { sku: 'KB-1', quantity: 3 },
        ],
        stock,
      ),
    ).toEqual({
      kind: 'reserve',
      lines: [
        { sku: 'KB-1', quantity: 5 },
        { sku: 'MS-2', quantity: 1 },
      ],
    });
  });

  it('refuses the whole order naming every short line, an unknown SKU as 0 available', () => {
    expect(
      decideReservation(
        [
          { sku: 'KB-1', quantity: 6 },
          { sku: 'MS-2', quantity: 1 },
          { sku: 'NONE', quantity: 1 },
        ],
        stock,
      ),
    ).toEqual({
      kind: 'refuse',
      short: [
        { sku: 'KB-1', requested: 6, available: 5 },
        { sku: 'NONE', requested: 1, available: 0 },
      ],
    });
  });

  it('merges lines of one SKU', () => {
    expect(
      mergeLines([
        { sku: 'A', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ]),
    ).toEqual([{ sku: 'A', quantity: 3 }]);
  });
});
