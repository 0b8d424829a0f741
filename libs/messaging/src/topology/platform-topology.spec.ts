import {
  ANALYTICS_QUEUE,
  INVENTORY_QUEUE,
  ORDER_QUEUE,
  NOTIFICATION_QUEUE,
  PLATFORM_TOPOLOGY,
  TODO_EVENTS_EXCHANGE,
  consumerQueue,
  defineTopology,
  destinationOf,
  findConsumer,
} from './platform-topology';

describe('platform topology', () => {
  it('publishes on the todo-events exchange', () => {
    expect(PLATFORM_TOPOLOGY.exchange).toBe(TODO_EVENTS_EXCHANGE);
    expect(TODO_EVENTS_EXCHANGE).toBe('todo-events');
  });

  it('has the notification and analytics consumers, each queue once', () => {
    const queues = PLATFORM_TOPOLOGY.consumers.map((c) => c.queue);

    expect(queues).toEqual(expect.arrayContaining(['notification-service', 'analytics-service']));
    expect(new Set(queues).size).toBe(queues.length);
  });

  it('binds notification-service to exactly the events it mails about, and user.registered', () => {
    expect([...NOTIFICATION_QUEUE.bindings].sort()).toEqual([
      'order.cancelled',
      'order.confirmed',
      'todo.completed',
      'todo.created',
      'user.registered',
    ]);
  });

  it('binds analytics-service to every todo and order event', () => {
    expect(ANALYTICS_QUEUE.bindings).toEqual(['todo.#', 'order.#']);
  });

  it('addresses the inventory commands to inventory-service alone, and its replies to order-service', () => {
    const takers = (command: string) => PLATFORM_TOPOLOGY.consumers.filter((c) => c.commands.includes(command)).map((c) => c.queue);
    expect(takers('inventory.reserve')).toEqual(['inventory-service']);
    expect(takers('inventory.release')).toEqual(['inventory-service']);
    expect(INVENTORY_QUEUE.bindings).toEqual([]);
    expect(ORDER_QUEUE.bindings).toEqual(
      expect.arrayContaining(['order.#', 'inventory.reserved', 'inventory.reserve_failed', 'inventory.released']),
    );
  });

  describe.each(PLATFORM_TOPOLOGY.consumers.map((c) => [c.queue, c] as const))('consumer %s', (queue, consumer) => {
    it('dead-letters into <queue>.dlx and <queue>.dlq', () => {
      expect(consumer.deadLetterExchange).toBe(`${queue}.dlx`);
      expect(consumer.deadLetterQueue).toBe(`${queue}.dlq`);
    });

    it('retries after 1000, 2000 and 3000 ms, one named queue per delay', () => {
      expect(consumer.retryQueues).toEqual([
        { delayMs: 1000, queue: `${queue}.retry.1000ms` },
        { delayMs: 2000, queue: `${queue}.retry.2000ms` },
        { delayMs: 3000, queue: `${queue}.retry.3000ms` },
      ]);
    });
  });

  it('gives every declared queue a distinct name', () => {
    const names = PLATFORM_TOPOLOGY.consumers.flatMap((c) => [c.queue, c.deadLetterQueue, ...c.retryQueues.map((r) => r.queue)]);

    expect(new Set(names).size).toBe(names.length);
  });

  it('builds retry queues from custom delays', () => {
    expect(consumerQueue('q', ['a.b'], { retryDelaysMs: [500] }).retryQueues).toEqual([{ delayMs: 500, queue: 'q.retry.500ms' }]);
  });

  describe('findConsumer', () => {
    it('returns the consumer declared for a queue', () => {
      expect(findConsumer(PLATFORM_TOPOLOGY, 'analytics-service')).toBe(ANALYTICS_QUEUE);
    });

    it('throws for a queue that is not part of the topology', () => {
      expect(() => findConsumer(PLATFORM_TOPOLOGY, 'billing-service')).toThrow(/billing-service/);
    });
  });

  it('sends commands on a direct exchange of their own', () => {
    expect(PLATFORM_TOPOLOGY.commandExchange).toBe('todo-commands');
    expect(destinationOf(PLATFORM_TOPOLOGY, 'command', 'inventory.reserve')).toEqual({
      exchange: 'todo-commands',
      routingKey: 'inventory.reserve',
    });
    expect(destinationOf(PLATFORM_TOPOLOGY, 'event', 'todo.created')).toEqual({ exchange: 'todo-events', routingKey: 'todo.created' });
  });

  describe('defineTopology', () => {
    it('addresses a command to one consumer, and refuses a second one for it', () => {
      const a = consumerQueue('a', [], { commands: ['thing.do'] });
      const b = consumerQueue('b', [], { commands: ['thing.do'] });
      expect(defineTopology({ exchange: 'x', consumers: [a] })).toEqual({ exchange: 'x', commandExchange: 'x.commands', consumers: [a] });
      expect(() => defineTopology({ exchange: 'x', consumers: [a, b] })).toThrow(
        'command thing.do is addressed to both a and b; a command has one consumer',
      );
    });

    it('refuses a queue declared twice', () => {
      expect(() => defineTopology({ exchange: 'x', consumers: [consumerQueue('a', []), consumerQueue('a', [])] })).toThrow('queue a twice');
    });
  });
});
