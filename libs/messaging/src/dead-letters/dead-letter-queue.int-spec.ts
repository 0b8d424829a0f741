import amqplib, { ChannelModel } from 'amqplib';
import { createTestVhost } from '../../../../test/support/rabbitmq';
import { runTsEntry } from '../../../../test/support/run-cli';
import { Headers } from '../headers';
import { declareTopology } from '../topology/declare-topology';
import { NOTIFICATION_QUEUE, PLATFORM_TOPOLOGY } from '../topology/platform-topology';
import { DeadLetterQueue } from './dead-letter-queue';

describe('dead-letter queue tooling', () => {
  let vhost: Awaited<ReturnType<typeof createTestVhost>>;
  let connection: ChannelModel;
  let dlq: DeadLetterQueue;

  const deadLetter = async (messageId: string, code: string, reason: string) => {
    const channel = await connection.createConfirmChannel();
    channel.publish(NOTIFICATION_QUEUE.deadLetterExchange, '', Buffer.from(JSON.stringify({ event_id: messageId })), {
      persistent: true,
      messageId,
      headers: {
        [Headers.EventType]: 'todo.completed',
        [Headers.Attempt]: 4,
        [Headers.DeadLetterCode]: code,
        [Headers.DeadLetterReason]: reason,
        [Headers.DeadLetterConsumer]: NOTIFICATION_QUEUE.queue,
        [Headers.DeadLetterStack]: 'Error: boom\n    at handler',
        [Headers.OriginalRoutingKey]: 'todo.completed',
        [Headers.FirstFailureAt]: '2026-11-26T00:00:00.000Z',
        [Headers.LastFailureAt]: '2026-11-26T00:00:06.000Z',
        'x-correlation-id': `corr-${messageId}`,
      },
    });
    await channel.waitForConfirms();
    await channel.close();
  };
  const workQueueMessages = async () => {
    const channel = await connection.createChannel();
    const messages = [];
    for (
      let m = await channel.get(NOTIFICATION_QUEUE.queue, { noAck: true });
      m;
      m = await channel.get(NOTIFICATION_QUEUE.queue, { noAck: true })
    ) {
      messages.push(m);
    }
    await channel.close();
    return messages;
  };

  beforeAll(async () => {
    vhost = await createTestVhost('dlq');
    connection = await amqplib.connect(vhost.url);
    const channel = await connection.createChannel();
    await declareTopology(channel, PLATFORM_TOPOLOGY);
    await channel.close();
    dlq = new DeadLetterQueue(connection, NOTIFICATION_QUEUE);
  });

  afterAll(async () => {
    await connection?.close();
    await vhost?.dispose();
  });

  beforeEach(async () => {
    await dlq.purge();
    await workQueueMessages();
  });

  it('counts dead letters and groups them by reason, leaving them in the queue', async () => {
    await deadLetter('m-1', 'Error', 'SMTP refused');
    await deadLetter('m-2', 'Error', 'SMTP refused');
    await deadLetter('m-3', 'INVALID_PAYLOAD', 'todo.completed: title is required');

    const summary = await dlq.summary();

    expect(summary).toEqual({
      queue: 'notification-service.dlq',
      count: 3,
      reasons: [
        { code: 'Error', reason: 'SMTP refused', count: 2 },
        { code: 'INVALID_PAYLOAD', reason: 'todo.completed: title is required', count: 1 },
      ],
    });
    expect((await dlq.peek()).map((l) => l.messageId)).toEqual(['m-1', 'm-2', 'm-3']);
    const letter = await dlq.find('m-3');
    expect(letter).toMatchObject({
      eventType: 'todo.completed',
      attempts: 4,
      originalRoutingKey: 'todo.completed',
      body: '{"event_id":"m-3"}',
    });
  });

  it('redrives one message to its work queue with a fresh attempt count, keeping the others', async () => {
    await deadLetter('m-4', 'Error', 'db down');
    await deadLetter('m-5', 'Error', 'db down');

    expect(await dlq.redrive((l) => l.messageId === 'm-5')).toBe(1);

    const [redriven, ...others] = await workQueueMessages();
    expect(others).toEqual([]);
    expect(redriven.properties.messageId).toBe('m-5');
    expect(redriven.properties.headers).toMatchObject({
      'x-redrive-count': 1,
      'x-correlation-id': 'corr-m-5',
      [Headers.OriginalRoutingKey]: 'todo.completed',
    });
    expect(redriven.properties.headers?.[Headers.Attempt]).toBeUndefined();
    expect(redriven.properties.headers?.[Headers.DeadLetterReason]).toBeUndefined();
    expect((await dlq.peek()).map((l) => l.messageId)).toEqual(['m-4']);
  });

  it('works from the command line: list, show, redrive --all, purge --yes', async () => {
    await deadLetter('m-6', 'Error', 'timeout');
    await deadLetter('m-7', 'UNKNOWN_EVENT_TYPE', 'unknown event_type todo.archived');
    const cli = (...args: string[]) => runTsEntry('apps/dead-letter-cli/src/main.ts', args, { AMQP_URL: vhost.url });

    const list = await cli('list', 'notification-service');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('notification-service.dlq: 2 message(s)');
    expect(list.stdout).toMatch(/1\s+UNKNOWN_EVENT_TYPE\s+unknown event_type todo.archived/);

    const show = await cli('show', 'notification-service', 'm-6');
    expect(show.stdout).toContain('reason:         timeout');
    expect(show.stdout).toContain('body:\n{"event_id":"m-6"}');

    const refused = await cli('purge', 'notification-service');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('add --yes');

    const dry = await cli('redrive', 'notification-service', '--all', '--dry-run');
    expect(dry.stdout).toContain('dry run: would redrive 2 message(s) to notification-service; nothing was moved');
    expect((await dlq.summary()).count).toBe(2);
    expect(await workQueueMessages()).toEqual([]);

    const limited = await cli('redrive', 'notification-service', '--all', '--limit', '1');
    expect(limited.stdout).toContain('redriven 1/1');
    expect(limited.stdout).toContain('redrove 1 message(s) to notification-service');
    expect((await workQueueMessages()).map((m) => m.properties.messageId)).toEqual(['m-6']);

    const redrive = await cli('redrive', 'notification-service', '--all');
    expect(redrive.stdout).toContain('redrove 1 message(s) to notification-service');
    expect((await workQueueMessages()).map((m) => m.properties.messageId)).toEqual(['m-7']);

    expect((await cli('redrive', 'notification-service', '--all', '--limit', '0')).stderr).toContain('--limit must be a positive integer');

    await deadLetter('m-8', 'Error', 'again');
    const purge = await cli('purge', 'notification-service', '--yes');
    expect(purge.stdout).toContain('purged 1 message(s)');
    expect((await dlq.summary()).count).toBe(0);

    const unknown = await cli('list', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown consumer "nobody"');
  });
});
