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

  it('refuses a second handler for one type', () => {
    const routes = new MessageHandlers([['todo.completed', handler('A.handle')]]);
    expect(() => routes.add('todo.completed', handler('B.handle'))).toThrow('todo.completed has two handlers, A.handle and B.handle');
  });
});
