import { objectJsonSchema, rules } from './event-schema';
import { PLATFORM_CONTRACTS } from './platform-contracts';

const reserve = (overrides: Record<string, unknown> = {}) => ({
  command_id: '3f2b8c1e-9d4a-4f6b-8a1e-2c3d4e5f6a7b',
  command_type: 'inventory.reserve',
  command_version: 1,
  target_id: 'reservation-7',
  issued_at: '2026-12-01T10:00:00.000Z',
  correlation_id: 'req-7',
  causation_id: 'evt-7',
  order_id: 7,
  lines: [{ sku: 'KB-1', quantity: 2 }],
  ...overrides,
});

const cancelled = (overrides: Record<string, unknown> = {}) => ({
  event_id: '3f2b8c1e-9d4a-4f6b-8a1e-2c3d4e5f6a70',
  event_type: 'order.cancelled',
  event_version: 1,
  aggregate_id: 'order-7',
  aggregate_type: 'order',
  aggregate_version: 2,
  occurred_at: '2026-12-01T10:00:00.000Z',
  correlation_id: 'req-7',
  causation_id: 'evt-7',
  order_id: 7,
  user_id: 1,
  reason: 'timeout',
  ...overrides,
});

describe('the platform contracts', () => {
  it('know the inventory commands, keyed by their reservation', () => {
    expect(PLATFORM_CONTRACTS.parse(JSON.stringify(reserve()))).toMatchObject({
      ok: true,
      meta: { kind: 'command', key: 'reservation-7' },
    });
    expect(PLATFORM_CONTRACTS.types('command').sort()).toEqual(['inventory.release', 'inventory.reserve']);
  });

  it('check every line of a list, and name the line that breaks a rule', () => {
    const result = PLATFORM_CONTRACTS.parse(
      JSON.stringify(
        reserve({
          lines: [
            { sku: 'KB-1', quantity: 1 },
            { sku: 'KB-2', quantity: 0 },
          ],
        }),
      ),
    );
    expect(result).toEqual({
      ok: false,
      rejection: 'INVALID_PAYLOAD',
      reason: 'inventory.reserve: lines [1].quantity must be a positive integer',
    });
    expect(PLATFORM_CONTRACTS.parse(JSON.stringify(reserve({ lines: [] })))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('at least 1'),
    });
  });

  it('accept an optional field absent, and check it when present', () => {
    expect(PLATFORM_CONTRACTS.parse(JSON.stringify(cancelled()))).toMatchObject({ ok: true });
    expect(PLATFORM_CONTRACTS.parse(JSON.stringify(cancelled({ lines_short: 'none' })))).toMatchObject({
      ok: false,
      reason: 'order.cancelled: lines_short must be a list',
    });
  });
});

describe('rules as JSON Schema', () => {
  it('say what they accept, so the published contract is the checked one', () => {
    const schema = objectJsonSchema({
      id: rules.uuid(),
      quantity: rules.positiveInt({ max: 10 }),
      reason: rules.optional(rules.oneOf(['a', 'b'])),
      lines: rules.list({ sku: rules.text({ min: 1, max: 64 }) }, { min: 1, max: 5 }),
    });
    expect(schema).toEqual({
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        quantity: { type: 'integer', minimum: 1, maximum: 10 },
        reason: { type: 'string', enum: ['a', 'b'] },
        lines: {
          type: 'array',
          minItems: 1,
          maxItems: 5,
          items: { type: 'object', properties: { sku: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['sku'] },
        },
      },
      required: ['id', 'quantity', 'lines'],
    });
  });
});

describe('the platform contracts in words', () => {
  it.each((['event', 'command'] as const).flatMap((kind) => PLATFORM_CONTRACTS.types(kind).map((type) => [kind, type] as const)))(
    'describe the %s %s: a summary, and what it means, who receives it and why',
    (kind, type) => {
      const described = PLATFORM_CONTRACTS.description(kind, type);

      expect(described?.summary).toMatch(/^[A-Z].{10,}\.$/);
      expect(described!.description.length).toBeGreaterThan(80);
      // Each names a service: who acts on the message, or who sends it.
      expect(described!.description).toMatch(/(todo|notification|analytics|order|inventory)-service/);
    },
  );

  it('say how every earlier version of a message differs from the current one', () => {
    for (const kind of ['event', 'command'] as const) {
      for (const type of PLATFORM_CONTRACTS.types(kind)) {
        const current = PLATFORM_CONTRACTS.currentVersion(kind, type);
        for (const version of PLATFORM_CONTRACTS.versions(kind, type).filter((v) => v !== current)) {
          expect([type, version, PLATFORM_CONTRACTS.description(kind, type)?.earlierVersions?.[version]]).toEqual([
            type,
            version,
            expect.stringMatching(/^v\d+ /),
          ]);
        }
      }
    }
  });
});
