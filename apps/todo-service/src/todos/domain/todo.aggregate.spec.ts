import { TodoEventType } from '@todo/events';
import { TodoCommand, TodoDomainEvent, decide, evolve, rebuild } from './todo.aggregate';
import { TodoAlreadyCompletedError, TodoAlreadyExistsError, TodoNotFoundError } from './todo.errors';

/** given(...past events).when(command) → the events the aggregate decides on. */
function given(...history: TodoDomainEvent[]) {
  return { when: (command: TodoCommand) => decide(command, rebuild(history)) };
}

const TODO_ID = 7;
const USER_ID = 3;

const created = (overrides: Partial<{ title: string; priority: 'low' | 'medium' | 'high' }> = {}): TodoDomainEvent => ({
  type: TodoEventType.Created,
  version: 1,
  data: {
    todo_id: TODO_ID,
    user_id: USER_ID,
    title: overrides.title ?? 'Buy milk',
    description: 'two litres',
    priority: overrides.priority ?? 'medium',
  },
});

const completed = (completedAt = '2025-01-02T03:04:05.000Z'): TodoDomainEvent => ({
  type: TodoEventType.Completed,
  version: 1,
  data: { todo_id: TODO_ID, user_id: USER_ID, title: 'Buy milk', completed_at: completedAt },
});

const priorityChanged = (
  previous: 'low' | 'medium' | 'high',
  priority: 'low' | 'medium' | 'high',
): TodoDomainEvent => ({
  type: TodoEventType.PriorityChanged,
  version: 1,
  data: { todo_id: TODO_ID, user_id: USER_ID, priority, previous_priority: previous },
});

const createCommand: TodoCommand = {
  type: 'CreateTodo',
  todoId: TODO_ID,
  userId: USER_ID,
  title: 'Buy milk',
  description: 'two litres',
  priority: 'medium',
};

const NOW = new Date('2025-06-01T12:30:00.000Z');

describe('Todo aggregate', () => {
  describe('CreateTodo', () => {
    it('emits todo.created with the given fields when the todo does not exist yet', () => {
      expect(given().when(createCommand)).toEqual([
        {
          type: 'todo.created',
          version: 1,
          data: { todo_id: TODO_ID, user_id: USER_ID, title: 'Buy milk', description: 'two litres', priority: 'medium' },
        },
      ]);
    });

    it('refuses to create a todo that already exists', () => {
      const attempt = () => given(created()).when(createCommand);

      expect(attempt).toThrow(TodoAlreadyExistsError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'TODO.ALREADY_EXISTS' }));
    });
  });

  describe('CompleteTodo', () => {
    const complete: TodoCommand = { type: 'CompleteTodo', todoId: TODO_ID, now: NOW };

    it("emits todo.completed stamped with the command's clock and the todo's title and owner", () => {
      expect(given(created({ title: 'Water plants' })).when(complete)).toEqual([
        {
          type: 'todo.completed',
          version: 1,
          data: { todo_id: TODO_ID, user_id: USER_ID, title: 'Water plants', completed_at: '2025-06-01T12:30:00.000Z' },
        },
      ]);
    });

    it('refuses to complete a todo twice', () => {
      const attempt = () => given(created(), completed()).when(complete);

      expect(attempt).toThrow(TodoAlreadyCompletedError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'TODO.ALREADY_COMPLETED' }));
    });

    it('refuses to complete a todo that does not exist', () => {
      const attempt = () => given().when(complete);

      expect(attempt).toThrow(TodoNotFoundError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'TODO.NOT_FOUND' }));
    });
  });

  describe('ChangeTodoPriority', () => {
    const changeTo = (priority: 'low' | 'medium' | 'high'): TodoCommand => ({
      type: 'ChangeTodoPriority',
      todoId: TODO_ID,
      priority,
    });

    it('emits todo.priority_changed carrying the previous priority', () => {
      expect(given(created({ priority: 'low' })).when(changeTo('high'))).toEqual([
        {
          type: 'todo.priority_changed',
          version: 1,
          data: { todo_id: TODO_ID, user_id: USER_ID, priority: 'high', previous_priority: 'low' },
        },
      ]);
    });

    it('takes the previous priority from the latest change, not from creation', () => {
      const [event] = given(created({ priority: 'low' }), priorityChanged('low', 'medium')).when(changeTo('high'));

      expect(event).toMatchObject({ data: { priority: 'high', previous_priority: 'medium' } });
    });

    it('emits nothing when the priority is already the requested one', () => {
      expect(given(created({ priority: 'high' })).when(changeTo('high'))).toEqual([]);
    });

    it('refuses to change the priority of a completed todo', () => {
      const attempt = () => given(created({ priority: 'low' }), completed()).when(changeTo('high'));

      expect(attempt).toThrow(TodoAlreadyCompletedError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'TODO.ALREADY_COMPLETED' }));
    });

    it('refuses to change the priority of a todo that does not exist', () => {
      expect(() => given().when(changeTo('high'))).toThrow(expect.objectContaining({ code: 'TODO.NOT_FOUND' }));
    });
  });

  describe('rebuild / evolve', () => {
    it('has no state before the first event', () => {
      expect(rebuild([])).toBeUndefined();
    });

    it('starts an open todo from todo.created', () => {
      expect(rebuild([created()])).toEqual({
        id: TODO_ID,
        userId: USER_ID,
        title: 'Buy milk',
        description: 'two litres',
        priority: 'medium',
        status: 'open',
        completedAt: null,
      });
    });

    it('folds priority changes and completion into the state', () => {
      const state = rebuild([
        created({ priority: 'low' }),
        priorityChanged('low', 'high'),
        completed('2025-03-04T05:06:07.000Z'),
      ]);

      expect(state).toMatchObject({ priority: 'high', status: 'completed', completedAt: '2025-03-04T05:06:07.000Z' });
    });

    it('does not mutate the state it is given', () => {
      const before = rebuild([created()]);
      const snapshot = structuredClone(before);

      evolve(before, completed());

      expect(before).toEqual(snapshot);
    });
  });
});
