import { AggregateLanes } from './aggregate-lanes';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('AggregateLanes', () => {
  it('runs the work of one key one at a time, in arrival order', async () => {
    const lanes = new AggregateLanes();
    const order: string[] = [];
    const first = deferred();
    const a1 = lanes.run('todo-1', async () => {
      order.push('a1 start');
      await first.promise;
      order.push('a1 end');
    });
    const a2 = lanes.run('todo-1', async () => void order.push('a2'));
    await Promise.resolve();
    expect(order).toEqual(['a1 start']);
    first.resolve();
    await Promise.all([a1, a2]);
    expect(order).toEqual(['a1 start', 'a1 end', 'a2']);
  });

  it('lets other keys go on while one key waits', async () => {
    const lanes = new AggregateLanes();
    const blocked = deferred();
    const slow = lanes.run('todo-1', () => blocked.promise);
    await expect(lanes.run('todo-2', async () => 'done')).resolves.toBe('done');
    expect(lanes.size).toBe(1);
    blocked.resolve();
    await slow;
    expect(lanes.size).toBe(0);
  });

  it('goes on with the next message of a key after one failed, and reports the failure to its caller only', async () => {
    const lanes = new AggregateLanes();
    const failing = lanes.run('todo-1', async () => {
      throw new Error('boom');
    });
    const next = lanes.run('todo-1', async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    expect(lanes.size).toBe(0);
  });
});
