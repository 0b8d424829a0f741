import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { EventType, CommandType, PLATFORM_CONTRACTS } from '@todo/events';
import { PLATFORM_TOPOLOGY } from '../topology/platform-topology';
import { PLATFORM_VERSION, messageId, platformAsyncApi, queueChannel, topicMatches } from './asyncapi-document';

const ROOT = join(__dirname, '..', '..', '..', '..');

/** The parser tags every schema it read with an `x-parser-schema-id`: the schema as written is the rest. */
function asWritten(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asWritten);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'x-parser-schema-id')
      .map(([key, inner]) => [key, asWritten(inner)]),
  );
}

describe('the AsyncAPI document', () => {
  const generated = platformAsyncApi();

  it('is valid AsyncAPI 3.0 for the AsyncAPI parser: no error, no warning', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(generated));
    // Spectral severities: 0 error, 1 warning, 2 information, 3 hint.
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join('/')}`)).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.version()).toBe('3.0.0');
  });

  it('is what docs/asyncapi.json holds (after a change to the contracts or the topology: npm run asyncapi)', () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'docs', 'asyncapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(generated)));
  });

  it('carries the platform version of package.json', () => {
    expect(PLATFORM_VERSION).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('says, read back through the parser, who sends and who receives each message, at every version', async () => {
    const { document } = await new Parser().parse(JSON.stringify(generated));
    const operations = document!.operations().all();
    const who = (action: 'send' | 'receive', type: string) =>
      operations
        .filter(
          (op) =>
            op.action() === action &&
            op
              .messages()
              .all()
              .some((m) => m.name() === type),
        )
        .filter((op) => !/\.(retry|dead-letter)$/.test(op.id() ?? ''))
        .map((op) => op.json()['x-service'])
        .sort();
    expect(who('send', EventType.Todo.Completed)).toEqual(['todo-service']);
    expect(who('receive', EventType.Todo.Completed)).toEqual(['analytics-service', 'notification-service', 'todo-service']);
    expect(who('send', CommandType.Inventory.Reserve)).toEqual(['order-service']);
    expect(who('receive', CommandType.Inventory.Reserve)).toEqual(['inventory-service']);
    expect(who('receive', EventType.Inventory.Reserved)).toEqual(['order-service']);
    expect(who('send', EventType.User.Registered)).toEqual(['todo-service']);
    expect(who('receive', EventType.User.Registered)).toEqual(['notification-service']);

    // Every type, every version: a message with the contract's JSON Schema as its payload.
    for (const kind of ['event', 'command'] as const) {
      for (const type of PLATFORM_CONTRACTS.types(kind)) {
        for (const version of PLATFORM_CONTRACTS.versions(kind, type)) {
          const message = document!.components().messages().get(messageId(type, version));
          expect(asWritten(message?.payload()?.json())).toEqual(PLATFORM_CONTRACTS.jsonSchema(kind, type, version));
        }
        expect(who('send', type).length).toBeGreaterThan(0);
      }
    }
    // Old versions are published too: a consumer may still meet them in a queue.
    expect(document!.components().messages().get(messageId(EventType.Todo.Created, 1))).toBeDefined();
  });

  it('says what every message means, from the words written beside its contract', () => {
    const messages = (generated.components as { messages: Record<string, { summary: string; description: string }> }).messages;
    for (const kind of ['event', 'command'] as const) {
      for (const type of PLATFORM_CONTRACTS.types(kind)) {
        const current = messages[messageId(type, PLATFORM_CONTRACTS.currentVersion(kind, type))];
        const { summary, description } = PLATFORM_CONTRACTS.description(kind, type)!;
        expect(current).toMatchObject({ summary, description });
      }
    }
    expect(Object.values(messages).filter((m) => /current version of/.test(m.summary))).toEqual([]);
  });

  it('names who sent an earlier version, and that it is upcast to the current one on read', () => {
    const v1 = (generated.components as { messages: Record<string, { summary: string; description: string }> }).messages[
      messageId(EventType.Todo.Created, 1)
    ];

    expect(v1.summary).toContain('upcast to v2 on read');
    expect(v1.description).toMatch(/^An earlier version of todo\.created, published by todo-service before v2; .* upcast to v2 on read/);
    expect(v1.description).toContain(PLATFORM_CONTRACTS.description('event', EventType.Todo.Created)!.earlierVersions![1]);
  });

  it('describes every queue of the topology with its bindings, arguments, retries and dead letters', () => {
    for (const consumer of PLATFORM_TOPOLOGY.consumers) {
      const work = generated.channels[queueChannel(consumer.queue)];
      expect(work.bindings.amqp).toMatchObject({ is: 'queue', queue: { name: consumer.queue, durable: true } });
      expect(work['x-arguments']).toEqual({ 'x-dead-letter-exchange': consumer.deadLetterExchange });
      expect(work['x-retry']).toMatchObject({ queues: consumer.retryQueues.map((r) => expect.objectContaining({ queue: r.queue })) });
      for (const retry of consumer.retryQueues) {
        expect(generated.channels[queueChannel(retry.queue)]['x-arguments']).toMatchObject({ 'x-message-ttl': retry.delayMs });
      }
      expect(generated.channels[queueChannel(consumer.deadLetterQueue)]).toBeDefined();
    }
  });

  it.each([
    ['todo.#', 'todo.created', true],
    ['todo.#', 'todo', true],
    ['todo.*', 'todo.created', true],
    ['todo.*', 'todo.created.late', false],
    ['#', 'order.cancelled', true],
    ['order.#', 'todo.created', false],
    ['todo.completed', 'todo.completed', true],
    ['*.created', 'todo.created', true],
    ['*.created', 'created', false],
  ])('matches routing keys as a topic exchange does: %s with %s is %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});
