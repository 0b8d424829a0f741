import { TodoEventType } from '@todo/events';
import { TodoCommand, TodoDomainEvent, decide, evolve, rebuild } from './todo.aggregate';
import {
  TodoAlreadyCompletedError,
  TodoAlreadyExistsError,
  TodoDeletedError,
  TodoNotCompletedError,
  TodoNotFoundError,
} from './todo.errors';

/** given(...past events).when(command) → the events the aggregate decides on. */
function given(...history: TodoDomainEvent[]) {
  return { when: (command: TodoCommand) => decide(command, rebuild(history)) };
}

const TODO_ID = 7;
const USER_ID = 3;

const created = (overrides: Partial<{ title: string; priority: 'low' | 'medium' | 'high' }> = {}): TodoDomainEvent => ({
  type: TodoEventType.Created,
  version: 2,
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

const priorityChanged = (previous: 'low' | 'medium' | 'high', priority: 'low' | 'medium' | 'high'): TodoDomainEvent => ({
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
          version: 2,
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
      const state = rebuild([created({ priority: 'low' }), priorityChanged('low', 'high'), completed('2025-03-04T05:06:07.000Z')]);

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

describe('the todo lifecycle: edit, reopen, delete', () => {
  const owner = { todo_id: TODO_ID, user_id: USER_ID };
  const reopened: TodoDomainEvent = { type: TodoEventType.Reopened, version: 1, data: owner };
  const deleted: TodoDomainEvent = { type: TodoEventType.Deleted, version: 1, data: owner };

  it('edits title and description with todo.edited', () => {
    expect(given(created()).when({ type: 'EditTodo', todoId: TODO_ID, title: 'Buy oat milk', description: 'one litre' })).toEqual([
      { type: TodoEventType.Edited, version: 1, data: { ...owner, title: 'Buy oat milk', description: 'one litre' } },
    ]);
  });

  it('emits nothing for an edit that changes nothing', () => {
    expect(given(created()).when({ type: 'EditTodo', todoId: TODO_ID, title: 'Buy milk', description: 'two litres' })).toEqual([]);
  });

  it('reopens a completed todo, which can then be completed again', () => {
    expect(given(created(), completed()).when({ type: 'ReopenTodo', todoId: TODO_ID })).toEqual([reopened]);
    const again = given(created(), completed(), reopened).when({
      type: 'CompleteTodo',
      todoId: TODO_ID,
      now: new Date('2025-02-01T00:00:00Z'),
    });
    expect(again.map((e) => e.type)).toEqual([TodoEventType.Completed]);
  });

  it('refuses to reopen a todo that is not completed (TODO.NOT_COMPLETED)', () => {
    expect(() => given(created()).when({ type: 'ReopenTodo', todoId: TODO_ID })).toThrow(TodoNotCompletedError);
  });

  it('deletes a todo, open or completed', () => {
    expect(given(created()).when({ type: 'DeleteTodo', todoId: TODO_ID })).toEqual([deleted]);
    expect(given(created(), completed()).when({ type: 'DeleteTodo', todoId: TODO_ID })).toEqual([deleted]);
  });

  it.each([
    { type: 'EditTodo', todoId: TODO_ID, title: 'x', description: '' },
    { type: 'ChangeTodoPriority', todoId: TODO_ID, priority: 'high' },
    { type: 'CompleteTodo', todoId: TODO_ID, now: new Date() },
    { type: 'ReopenTodo', todoId: TODO_ID },
    { type: 'DeleteTodo', todoId: TODO_ID },
  ] as TodoCommand[])('refuses $type on a deleted todo (TODO.DELETED)', (command) => {
    expect(() => given(created(), deleted).when(command)).toThrow(TodoDeletedError);
    try {
      given(created(), deleted).when(command);
    } catch (error) {
      expect((error as TodoDeletedError).code).toBe('TODO.DELETED');
    }
  });

  it('folds the whole lifecycle into state', () => {
    const edited: TodoDomainEvent = { type: TodoEventType.Edited, version: 1, data: { ...owner, title: 'New', description: 'd' } };
    expect(rebuild([created(), edited, completed(), reopened])).toMatchObject({
      title: 'New',
      description: 'd',
      status: 'open',
      completedAt: null,
    });
    expect(rebuild([created(), deleted])?.status).toBe('deleted');
  });
});
