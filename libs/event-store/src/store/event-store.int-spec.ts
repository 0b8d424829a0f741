import { TodoEventType } from '@todo/events';
import { DataSource } from 'typeorm';
import { causation, eventStoreSchema, todoCreated } from '../../../../test/support/event-store-fixture';
import { captureLogs } from '../../../../test/support/logs';
import { dropSchemas } from '../../../../test/support/postgres';
import { waitFor } from '../../../../test/support/wait-for';
import { ConcurrencyError } from './concurrency.error';
import { EventStore } from './event-store';

describe('EventStore on PostgreSQL', () => {
  let schema: string;
  let dataSource: DataSource;
  let store: EventStore;

  beforeAll(async () => {
    ({ schema, dataSource, store } = await eventStoreSchema('store', captureLogs('test').logger));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropSchemas(schema);
  });

  it('reads a stream back in version order, each event in its flat wire shape', async () => {
    await dataSource.transaction((tx) =>
      store.append(tx, {
        streamId: 'todo-1',
        streamType: 'todo',
        expectedVersion: 0,
        events: [todoCreated(1)],
        causation: causation('req-1'),
      }),
    );
    await dataSource.transaction((tx) =>
      store.append(tx, {
        streamId: 'todo-1',
        streamType: 'todo',
        expectedVersion: 1,
        events: [
          {
            type: TodoEventType.Completed,
            version: 1,
            data: { todo_id: 1, user_id: 1, title: 'todo 1', completed_at: new Date().toISOString() },
          },
        ],
        causation: causation('req-2'),
      }),
    );

    const stream = await store.readStream(dataSource.manager, 'todo-1');
    expect(stream.map((s) => [s.version, s.event.event_type])).toEqual([
      [1, 'todo.created'],
      [2, 'todo.completed'],
    ]);
    expect(stream[0].event).toMatchObject({
      event_version: 2,
      aggregate_id: 'todo-1',
      aggregate_type: 'todo',
      aggregate_version: 1,
      correlation_id: 'req-1',
      causation_id: 'req-1',
      todo_id: 1,
      title: 'todo 1',
    });
    expect(stream[0].position).toBeLessThan(stream[1].position);
  });

  it('lets exactly one of two writers at the same expected version append; the other gets a ConcurrencyError', async () => {
    await dataSource.transaction((tx) =>
      store.append(tx, { streamId: 'todo-2', streamType: 'todo', expectedVersion: 0, events: [todoCreated(2)], causation: causation('c') }),
    );
    const completeAt = (who: string) =>
      dataSource.transaction((tx) =>
        store.append(tx, {
          streamId: 'todo-2',
          streamType: 'todo',
          expectedVersion: 1,
          events: [
            {
              type: TodoEventType.Completed,
              version: 1,
              data: { todo_id: 2, user_id: 1, title: who, completed_at: new Date().toISOString() },
            },
          ],
          causation: causation(who),
        }),
      );

    const results = await Promise.allSettled([completeAt('writer-a'), completeAt('writer-b'), completeAt('writer-c')]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejections = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejections).toHaveLength(2);
    rejections.forEach((r) => expect(r.reason).toBeInstanceOf(ConcurrencyError));
    const stream = await store.readStream(dataSource.manager, 'todo-2');
    expect(stream.map((s) => s.version)).toEqual([1, 2]);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'aggregate_id' = 'todo-2'`);
    expect(n).toBe(2);
  });

  it('writes events and their outbox entries in one transaction: a rollback leaves neither', async () => {
    await expect(
      dataSource.transaction(async (tx) => {
        await store.append(tx, {
          streamId: 'todo-3',
          streamType: 'todo',
          expectedVersion: 0,
          events: [todoCreated(3)],
          causation: causation('r'),
        });
        throw new Error('the command failed after appending');
      }),
    ).rejects.toThrow('the command failed after appending');

    expect(await store.readStream(dataSource.manager, 'todo-3')).toEqual([]);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'aggregate_id' = 'todo-3'`);
    expect(n).toBe(0);
  });

  it('queues each appended event as the message it is — kind, type, key, correlation, the flat event as body — with no broker details', async () => {
    const [event] = await dataSource.transaction((tx) =>
      store.append(tx, {
        streamId: 'todo-4',
        streamType: 'todo',
        expectedVersion: 0,
        events: [todoCreated(4, 'wire')],
        causation: causation('w'),
      }),
    );
    const [row] = await dataSource.query(`SELECT * FROM outbox WHERE message_id = $1`, [event.event_id]);
    expect(row).toMatchObject({
      message_kind: 'event',
      message_type: 'todo.created',
      aggregate_id: 'todo-4',
      correlation_id: 'w',
      causation_id: 'w',
      sent_at: null,
    });
    expect(row.payload).toEqual(event);
    expect(Object.keys(row)).not.toEqual(expect.arrayContaining(['exchange']));
    expect(Object.keys(row)).not.toEqual(expect.arrayContaining(['headers']));
  });
});

describe('EventStore global positions', () => {
  let schema: string;
  let dataSource: DataSource;
  let store: EventStore;

  beforeAll(async () => {
    ({ schema, dataSource, store } = await eventStoreSchema('positions', captureLogs('test').logger));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropSchemas(schema);
  });

  it('numbers events in commit order: a reader never sees a later commit before an earlier one', async () => {
    const first = dataSource.createQueryRunner();
    await first.connect();
    await first.startTransaction();
    try {
      await store.append(first.manager, {
        streamId: 'todo-100',
        streamType: 'todo',
        expectedVersion: 0,
        events: [todoCreated(100)],
        causation: causation('first'),
      });
      // The second writer appends to another stream; it must wait for the first to commit.
      let secondDone = false;
      const second = dataSource
        .transaction((tx) =>
          store.append(tx, {
            streamId: 'todo-101',
            streamType: 'todo',
            expectedVersion: 0,
            events: [todoCreated(101)],
            causation: causation('second'),
          }),
        )
        .then(() => (secondDone = true));
      await waitFor(
        'the second writer to wait for the position lock',
        async () =>
          (
            await dataSource.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%event_positions%'`,
            )
          )[0].n >= 1,
      );
      expect(secondDone).toBe(false);
      expect(await store.readAll(dataSource.manager, { after: 0, limit: 10 })).toEqual([]);

      await first.commitTransaction();
      await second;
      const all = await store.readAll(dataSource.manager, { after: 0, limit: 10 });
      expect(all.map((e) => [e.position, e.event.aggregate_id])).toEqual([
        [1, 'todo-100'],
        [2, 'todo-101'],
      ]);
    } finally {
      await first.release();
    }
  });
});
