import { PLATFORM_TOPOLOGY } from '@todo/messaging';
import { toOutgoingMessage } from './outbox-message';
import { OutboxEntry } from './outbox-table';

const entry = (kind: 'event' | 'command', type: string): OutboxEntry => ({
  id: '7',
  message_id: 'm-7',
  message_kind: kind,
  message_type: type,
  aggregate_id: 'todo-4',
  correlation_id: 'req-1',
  causation_id: 'cause-1',
  payload: '{"a":1}',
  trace_context: {},
  created_at: new Date('2026-12-01T10:00:00Z'),
});

describe('toOutgoingMessage', () => {
  it('publishes an event on the events exchange with its type as routing key, and derives its properties and headers', () => {
    expect(toOutgoingMessage(entry('event', 'todo.created'), PLATFORM_TOPOLOGY, { traceparent: '00-abc-def-01' })).toEqual({
      exchange: 'todo-events',
      routingKey: 'todo.created',
      messageId: 'm-7',
      body: Buffer.from('{"a":1}'),
      type: 'todo.created',
      correlationId: 'req-1',
      timestamp: new Date('2026-12-01T10:00:00Z'),
      headers: {
        'x-event-type': 'todo.created',
        'x-aggregate-id': 'todo-4',
        'x-correlation-id': 'req-1',
        'x-causation-id': 'cause-1',
        traceparent: '00-abc-def-01',
      },
    });
  });

  it('sends a command on the commands exchange, where only its one consumer is bound', () => {
    const message = toOutgoingMessage(entry('command', 'inventory.reserve'), PLATFORM_TOPOLOGY, {});
    expect(message).toMatchObject({ exchange: 'todo-commands', routingKey: 'inventory.reserve' });
    expect(message.headers).toMatchObject({ 'x-command-type': 'inventory.reserve' });
  });
});
