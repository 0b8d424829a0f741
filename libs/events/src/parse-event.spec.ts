import { ENVELOPE_FIELDS, splitEvent } from './envelope';
import { ParseEventResult, parseEvent, validateEvent } from './parse-event';
import { TodoCreated } from './todo-events';

const envelope = (eventType: string) => ({
  event_id: '3f2b8c1e-9d4a-4f6b-8a1e-2c3d4e5f6a7b',
  event_type: eventType,
  event_version: 1,
  aggregate_id: 'todo-1',
  aggregate_type: 'todo',
  aggregate_version: 1,
  occurred_at: '2025-05-01T10:00:00.000Z',
  correlation_id: 'req-123',
  causation_id: 'req-123',
});

const todoCreated = (): TodoCreated => ({
  ...envelope('todo.created'),
  event_type: 'todo.created',
  event_version: 2,
  todo_id: 1,
  user_id: 2,
  title: 'Buy milk',
  description: '',
  priority: 'high',
});

/** Narrows to a rejection so its fields can be asserted on. */
function rejected(result: ParseEventResult) {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.event)}`);
  return result;
}

describe('parseEvent', () => {
  it('accepts a valid flat todo.created and returns it unchanged', () => {
    const event = todoCreated();

    expect(parseEvent(Buffer.from(JSON.stringify(event)))).toEqual({ ok: true, event });
  });

  it('accepts the same event given as a string', () => {
    expect(parseEvent(JSON.stringify(todoCreated()))).toEqual({ ok: true, event: todoCreated() });
  });

  it('rejects a body that is not JSON as MALFORMED_JSON', () => {
    expect(rejected(parseEvent('{"event_id": '))).toMatchObject({ rejection: 'MALFORMED_JSON' });
  });

  it.each([
    ['an array', '[1, 2]'],
    ['a number', '42'],
    ['null', 'null'],
    ['a string', '"todo.created"'],
  ])('rejects JSON that is %s rather than an object as MALFORMED_JSON', (_kind, body) => {
    expect(rejected(parseEvent(body))).toMatchObject({ rejection: 'MALFORMED_JSON' });
  });
});

describe('validateEvent', () => {
  it('returns a valid event as the very same object', () => {
    const event = todoCreated();
    const result = validateEvent(event);

    expect(result.ok && result.event).toBe(event);
  });

  describe('envelope', () => {
    it('rejects an event without event_id as INVALID_ENVELOPE, naming the field', () => {
      const { event_id: _omitted, ...withoutId } = todoCreated();

      const result = rejected(validateEvent(withoutId));

      expect(result.rejection).toBe('INVALID_ENVELOPE');
      expect(result.reason).toContain('event_id');
    });

    it('rejects an event_id that is not a uuid as INVALID_ENVELOPE', () => {
      const result = rejected(validateEvent({ ...todoCreated(), event_id: 'not-a-uuid' }));

      expect(result.rejection).toBe('INVALID_ENVELOPE');
      expect(result.reason).toContain('event_id');
    });

    it('rejects an occurred_at that is not an ISO instant as INVALID_ENVELOPE', () => {
      const result = rejected(validateEvent({ ...todoCreated(), occurred_at: 'yesterday' }));

      expect(result).toMatchObject({ rejection: 'INVALID_ENVELOPE', reason: expect.stringContaining('occurred_at') });
    });

    it('rejects an unknown event_type as UNKNOWN_EVENT_TYPE', () => {
      const result = rejected(validateEvent({ ...todoCreated(), event_type: 'todo.archived' }));

      expect(result.rejection).toBe('UNKNOWN_EVENT_TYPE');
      expect(result.reason).toContain('todo.archived');
    });

    it('rejects an unsupported event_version as UNSUPPORTED_EVENT_VERSION, listing the known versions', () => {
      const result = rejected(validateEvent({ ...todoCreated(), event_version: 99 }));

      expect(result.rejection).toBe('UNSUPPORTED_EVENT_VERSION');
      expect(result.reason).toContain('99');
      expect(result.reason).toContain('known: 1');
    });
  });

  describe('payload', () => {
    it('rejects a payload field of the wrong type as INVALID_PAYLOAD, naming the field', () => {
      const result = rejected(validateEvent({ ...todoCreated(), todo_id: '1' }));

      expect(result.rejection).toBe('INVALID_PAYLOAD');
      expect(result.reason).toContain('todo_id');
    });

    it('rejects a priority outside low/medium/high as INVALID_PAYLOAD', () => {
      const result = rejected(validateEvent({ ...todoCreated(), priority: 'urgent' }));

      expect(result.rejection).toBe('INVALID_PAYLOAD');
      expect(result.reason).toContain('priority');
    });

    it('rejects a missing payload field as INVALID_PAYLOAD', () => {
      const { title: _omitted, ...withoutTitle } = todoCreated();

      expect(rejected(validateEvent(withoutTitle))).toMatchObject({
        rejection: 'INVALID_PAYLOAD',
        reason: expect.stringContaining('title'),
      });
    });

    it('tolerates fields it does not know (tolerant reader)', () => {
      const event = { ...todoCreated(), due_date: '2025-06-01', tags: ['home'] };

      expect(validateEvent(event)).toEqual({ ok: true, event });
    });
  });

  describe('one valid example per event type', () => {
    it.each([
      ['todo.created', todoCreated()],
      [
        'todo.completed',
        {
          ...envelope('todo.completed'),
          todo_id: 1,
          user_id: 2,
          title: 'Buy milk',
          completed_at: '2025-05-01T11:00:00Z',
        },
      ],
      [
        'todo.priority_changed',
        { ...envelope('todo.priority_changed'), todo_id: 1, user_id: 2, priority: 'low', previous_priority: 'high' },
      ],
      [
        'user.registered',
        {
          ...envelope('user.registered'),
          aggregate_id: 'user-2',
          aggregate_type: 'user',
          aggregate_version: 1,
          user_id: 2,
          email: 'ada@example.com',
          name: 'Ada',
        },
      ],
    ])('accepts %s', (_type, event) => {
      expect(validateEvent(event)).toEqual({ ok: true, event });
    });
  });
});

describe('splitEvent', () => {
  it('separates the envelope fields from the payload', () => {
    const { envelope: head, data } = splitEvent(todoCreated());

    expect(head).toEqual({ ...envelope('todo.created'), event_version: 2 });
    expect(data).toEqual({ todo_id: 1, user_id: 2, title: 'Buy milk', description: '', priority: 'high' });
  });

  it('puts every envelope field in the envelope and none in the payload', () => {
    const { envelope: head, data } = splitEvent(todoCreated());

    expect(Object.keys(head).sort()).toEqual([...ENVELOPE_FIELDS].sort());
    for (const field of ENVELOPE_FIELDS) expect(data).not.toHaveProperty(field);
  });
});

describe('upcasting on read', () => {
  it('accepts todo.created v1 (no description) and hands it on as v2 with an empty description', () => {
    const { description: _dropped, ...v1 } = { ...todoCreated(), event_version: 1 };
    const result = parseEvent(JSON.stringify(v1));
    expect(result).toEqual({ ok: true, event: { ...v1, event_version: 2, description: '' } });
  });

  it('still rejects a v1 todo.created that breaks the v1 rules', () => {
    const { description: _dropped, ...v1 } = { ...todoCreated(), event_version: 1, title: '' };
    expect(rejected(parseEvent(JSON.stringify(v1))).rejection).toBe('INVALID_PAYLOAD');
  });

  it('refuses a version newer than this consumer knows, naming the versions it knows', () => {
    const result = rejected(parseEvent(JSON.stringify({ ...todoCreated(), event_version: 3 })));
    expect(result).toMatchObject({
      rejection: 'UNSUPPORTED_EVENT_VERSION',
      reason: 'todo.created version 3 is not supported (known: 1, 2)',
    });
  });
});
