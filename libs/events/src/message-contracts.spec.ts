import { rules } from './event-schema';
import { MessageContracts, ParsedMessage } from './message-contracts';

const contracts = new MessageContracts(
  { 'thing.happened': { 1: { thing_id: rules.positiveInt() } } },
  { 'thing.do': { 1: { thing_id: rules.positiveInt() }, 2: { thing_id: rules.positiveInt(), how: rules.text({ max: 10 }) } } },
);

const command = (overrides: Record<string, unknown> = {}) => ({
  command_id: '3f2b8c1e-9d4a-4f6b-8a1e-2c3d4e5f6a7b',
  command_type: 'thing.do',
  command_version: 2,
  target_id: 'thing-7',
  issued_at: '2026-12-01T10:00:00.000Z',
  correlation_id: 'req-1',
  causation_id: 'evt-1',
  thing_id: 7,
  how: 'gently',
  ...overrides,
});

const event = () => ({
  event_id: '9a1b8c1e-9d4a-4f6b-8a1e-2c3d4e5f6a7b',
  event_type: 'thing.happened',
  event_version: 1,
  aggregate_id: 'thing-7',
  aggregate_type: 'thing',
  aggregate_version: 1,
  occurred_at: '2026-12-01T10:00:00.000Z',
  correlation_id: 'req-1',
  causation_id: 'req-1',
  thing_id: 7,
});

function rejected(result: ParsedMessage) {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.message)}`);
  return result;
}

describe('MessageContracts', () => {
  it('tells a command from an event by its envelope, and describes both the same way', () => {
    const parsedCommand = contracts.parse(JSON.stringify(command()));
    const parsedEvent = contracts.parse(JSON.stringify(event()));

    expect(parsedCommand).toEqual({
      ok: true,
      message: command(),
      meta: { kind: 'command', id: command().command_id, type: 'thing.do', key: 'thing-7', correlationId: 'req-1' },
    });
    expect(parsedEvent).toMatchObject({
      ok: true,
      meta: { kind: 'event', id: event().event_id, type: 'thing.happened', key: 'thing-7', correlationId: 'req-1' },
    });
  });

  it('rejects a command type it does not know, and a version it does not know, naming the known ones', () => {
    expect(rejected(contracts.parse(JSON.stringify(command({ command_type: 'thing.undo' }))))).toMatchObject({
      rejection: 'UNKNOWN_COMMAND_TYPE',
      reason: 'unknown command_type thing.undo',
    });
    expect(rejected(contracts.parse(JSON.stringify(command({ command_version: 3 }))))).toMatchObject({
      rejection: 'UNSUPPORTED_COMMAND_VERSION',
      reason: 'thing.do version 3 is not supported (known: 1, 2)',
    });
  });

  it('validates a command envelope and payload field by field', () => {
    expect(rejected(contracts.parse(JSON.stringify(command({ target_id: '' })))).rejection).toBe('INVALID_ENVELOPE');
    expect(rejected(contracts.parse(JSON.stringify(command({ command_id: 'x' })))).reason).toContain('command_id');
    expect(rejected(contracts.parse(JSON.stringify(command({ thing_id: -1 }))))).toMatchObject({
      rejection: 'INVALID_PAYLOAD',
      reason: 'thing.do: thing_id must be a positive integer',
    });
  });

  it('lists the types it knows per kind', () => {
    expect(contracts.types('command')).toEqual(['thing.do']);
    expect(contracts.types('event')).toEqual(['thing.happened']);
  });
});
