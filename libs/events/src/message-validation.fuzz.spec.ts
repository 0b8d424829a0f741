import fc from 'fast-check';
import { parseEvent } from './parse-event';
import { PLATFORM_CONTRACTS } from './platform-contracts';

const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'event_type', 'event_version', 'user_id'), fc.string());
const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.double(),
    fc.constantFrom(1e308, 2 ** 63, -0, null, true, 'todo.created', 2),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  ),
})).value;

const validEvent = {
  event_id: '0b8f3a9e-6b1f-4a0c-9d8e-2f3c4b5a6d7e',
  event_type: 'todo.created',
  event_version: 2,
  aggregate_id: 'todo-1',
  aggregate_type: 'todo',
  aggregate_version: 1,
  occurred_at: '2026-12-02T10:00:00.000Z',
  correlation_id: 'c-1',
  causation_id: 'c-1',
  todo_id: 1,
  user_id: 1,
  title: 'x',
  description: '',
  priority: 'low',
};

describe('the message validator under arbitrary input', () => {
  it('answers every JSON text with a verdict, never a throw, and a reason for every refusal', () => {
    fc.assert(
      fc.property(value, (v) => {
        const result = parseEvent(JSON.stringify(v) ?? 'null');
        if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses a valid event carrying a prototype key anywhere, as any field would be refused, and leaves prototypes alone', () => {
    fc.assert(
      fc.property(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.boolean(), (bad, nested) => {
        const text = nested
          ? JSON.stringify({ ...validEvent, extra: { inner: 1 } }).replace('"inner"', `"${bad}"`)
          : JSON.stringify(validEvent).replace('{', `{"${bad}":{"polluted":true},`);
        const result = parseEvent(text);
        expect(result).toMatchObject({ ok: false, rejection: 'INVALID_PAYLOAD', reason: `property ${bad} should not exist` });
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
    );
    expect(PLATFORM_CONTRACTS.validate(validEvent, 'event').ok).toBe(true);
  });

  it('refuses nesting deeper than any contract has, without exhausting the stack', () => {
    const deep = `{"a":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    expect(parseEvent(deep)).toMatchObject({ ok: false, rejection: 'INVALID_PAYLOAD' });
  });
});
