import { MessageHandlers } from './message-handlers';

const handler = (name: string) => ({ name, handle: () => undefined });

describe('MessageHandlers', () => {
  it('routes each type to its handler and describes the routes', () => {
    const completed = handler('TodoCompletedHandler.handle');
    const routes = new MessageHandlers([
      ['todo.completed', completed],
      ['todo.created', handler('TodoCreatedHandler.handle')],
    ]);
    expect(routes.find('todo.completed')).toBe(completed);
    expect(routes.find('todo.deleted')).toBeUndefined();
    expect(routes.describe()).toEqual({ 'todo.completed': 'TodoCompletedHandler.handle', 'todo.created': 'TodoCreatedHandler.handle' });
  });

  it('runs a second handler of a type after the first, with the same message and context', async () => {
    const calls: string[] = [];
    const routes = new MessageHandlers([
      ['order.created', { name: 'A.handle', handle: (m) => void calls.push(`A ${String(m.id)}`) }],
      ['order.created', { name: 'B.handle', handle: async (m) => void calls.push(`B ${String(m.id)}`) }],
    ]);
    const both = routes.find('order.created')!;
    expect(both.name).toBe('A.handle + B.handle');
    await both.handle({ id: 1 }, {} as never);
    expect(calls).toEqual(['A 1', 'B 1']);
  });
});
