import amqplib, { ConfirmChannel } from 'amqplib';
import { PLATFORM_TOPOLOGY, TODO_COMMANDS_EXCHANGE, TODO_EVENTS_EXCHANGE, findConsumer } from '@todo/messaging';
import { TestVhost, createTestVhost } from './support/rabbitmq';

const REFUSED = /ACCESS.REFUSED/;

/**
 * Each service's broker user against the real RabbitMQ, provisioned as `npm run
 * broker:setup` does: what it needs works, anything else is refused by the broker.
 */
describe('least privilege on the broker', () => {
  let vhost: TestVhost;

  beforeAll(async () => {
    vhost = await createTestVhost('permissions', { serviceUsers: true });
  });
  afterAll(() => vhost?.dispose());

  /** Runs `action` as `user` on a confirm channel; answers why the broker closed the channel, or undefined. */
  async function as(user: string, action: (channel: ConfirmChannel) => unknown): Promise<string | undefined> {
    const connection = await amqplib.connect(vhost.urlFor(user));
    connection.on('error', () => undefined);
    let closedWith: string | undefined;
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) => (closedWith ??= error.message));
      await action(channel);
      await channel.waitForConfirms();
      await channel.close();
    } catch (error) {
      closedWith ??= (error as Error).message;
    } finally {
      await connection.close().catch(() => undefined);
    }
    return closedWith;
  }
  const publish = (exchange: string, routingKey: string) => (channel: ConfirmChannel) =>
    channel.publish(exchange, routingKey, Buffer.from('{}'), { persistent: true });

  it.each([
    ['todo-service', 'todo.created'],
    ['todo-service', 'user.registered'],
    ['order-service', 'order.created'],
    ['inventory-service', 'inventory.reserved'],
  ])('lets %s publish its own event type %s', async (user, key) => {
    expect(await as(user, publish(TODO_EVENTS_EXCHANGE, key))).toBeUndefined();
  });

  it.each([
    ['todo-service', 'order.confirmed'],
    ['todo-service', 'inventory.reserved'],
    ['order-service', 'todo.completed'],
    ['order-service', 'inventory.reserved'],
    ['inventory-service', 'order.confirmed'],
    ['inventory-service', 'user.registered'],
    ['notification-service', 'todo.created'],
    ['analytics-service', 'order.cancelled'],
    ['operator', 'todo.created'],
  ])('refuses %s publishing %s, which it does not own', async (user, key) => {
    expect(await as(user, publish(TODO_EVENTS_EXCHANGE, key))).toMatch(REFUSED);
  });

  it('lets only order-service send commands', async () => {
    expect(await as('order-service', publish(TODO_COMMANDS_EXCHANGE, 'inventory.reserve'))).toBeUndefined();
    for (const user of ['todo-service', 'inventory-service', 'notification-service']) {
      expect(await as(user, publish(TODO_COMMANDS_EXCHANGE, 'inventory.release'))).toMatch(REFUSED);
    }
  });

  it('refuses publishing through the default exchange, which would reach any queue, to every service', async () => {
    for (const user of ['todo-service', 'notification-service', 'order-service']) {
      expect(await as(user, publish('', 'analytics-service'))).toMatch(REFUSED);
    }
  });

  it("lets each service consume its own queue and refuses another service's", async () => {
    const consume = (queue: string) => (channel: ConfirmChannel) => channel.consume(queue, () => undefined);
    for (const { queue } of PLATFORM_TOPOLOGY.consumers) {
      expect(await as(queue, consume(queue))).toBeUndefined();
    }
    expect(await as('notification-service', consume('analytics-service'))).toMatch(REFUSED);
    expect(await as('analytics-service', consume('order-service.dlq'))).toMatch(REFUSED);
    expect(await as('order-service', consume('inventory-service'))).toMatch(REFUSED);
  });

  it('refuses declaring, binding or deleting outside its own resources', async () => {
    expect(await as('todo-service', (c) => c.assertQueue('rogue-queue'))).toMatch(REFUSED);
    expect(await as('todo-service', (c) => c.assertExchange('rogue-exchange', 'topic'))).toMatch(REFUSED);
    expect(await as('notification-service', (c) => c.bindQueue('analytics-service', TODO_EVENTS_EXCHANGE, '#'))).toMatch(REFUSED);
    // Its own queue, bound to what it was not given: a wider pattern than its bindings.
    expect(await as('notification-service', (c) => c.bindQueue('notification-service', TODO_EVENTS_EXCHANGE, '#'))).toMatch(REFUSED);
    expect(await as('todo-service', (c) => c.deleteExchange(TODO_EVENTS_EXCHANGE))).toMatch(REFUSED);
    expect(await as('analytics-service', (c) => c.deleteQueue('notification-service'))).toMatch(REFUSED);
    // What it does on every start stays allowed: its own queues, asserted again.
    const own = findConsumer(PLATFORM_TOPOLOGY, 'notification-service');
    expect(
      await as('notification-service', async (c) => {
        await c.checkExchange(TODO_EVENTS_EXCHANGE);
        await c.assertQueue(own.queue, { durable: true, arguments: { 'x-dead-letter-exchange': own.deadLetterExchange } });
        await c.bindQueue(own.queue, TODO_EVENTS_EXCHANGE, own.bindings[0]);
      }),
    ).toBeUndefined();
  });

  it('gives the operator the dead-letter queues and nothing else', async () => {
    expect(await as('operator', (c) => c.consume('analytics-service.dlq', () => undefined))).toBeUndefined();
    expect(await as('operator', publish('', 'analytics-service'))).toBeUndefined();
    expect(await as('operator', (c) => c.consume('analytics-service', () => undefined))).toMatch(REFUSED);
    expect(await as('operator', (c) => c.assertQueue('rogue-queue'))).toMatch(REFUSED);
  });
});
