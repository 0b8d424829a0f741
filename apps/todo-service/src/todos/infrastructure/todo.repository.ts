import { Injectable } from '@nestjs/common';
import { Causation, ConcurrencyError, EventAppender, EventStore } from '@todo/event-store';
import { TodoEvent, splitEvent } from '@todo/events';
import { DataSource } from 'typeorm';
import { TODO_STREAM_TYPE, Todo, TodoDomainEvent, TodoState, evolve, rebuild, todoStreamId } from '../domain/todo.aggregate';
import { TodoNotFoundError, TodoVersionMismatchError } from '../domain/todo.errors';

export interface TodoChange {
  todo: Todo;
  /** Stream version after the change: the number of events the todo has. */
  version: number;
  events: TodoEvent[];
}

const CONFLICT_RETRIES = 3;
const TODO_ID_BLOCK = 20;

/**
 * Loads todos by folding their events and saves the events a decision produced; the
 * domain owns the change. A save needs no transaction around the read: it appends at
 * the version the decision was made on, which fails if another writer got there first.
 * Saves go through the appender, which commits concurrent ones together.
 */
@Injectable()
export class TodoRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly appender: EventAppender,
  ) {}

  private readonly freeIds: number[] = [];
  private refill?: Promise<void>;

  /** Starts a new todo under the next free id. */
  async create(decide: (todoId: number) => TodoDomainEvent[], causation: Causation): Promise<TodoChange> {
    const id = await this.nextTodoId();
    return this.save(id, undefined, 0, decide(id), causation);
  }

  /**
   * Todo ids come from the `todo_ids` sequence, TODO_ID_BLOCK at a time, so most creates
   * skip that round trip. Ids stay unique and rise within an instance; ids a process
   * took but did not use are skipped (a sequence leaves gaps anyway).
   */
  private async nextTodoId(): Promise<number> {
    while (this.freeIds.length === 0) {
      this.refill ??= this.dataSource
        .query(`SELECT nextval('todo_ids')::int AS id FROM generate_series(1, $1)`, [TODO_ID_BLOCK])
        .then((rows: { id: number }[]) => {
          this.freeIds.push(...rows.map((r) => r.id).sort((a, b) => a - b));
        })
        .finally(() => (this.refill = undefined));
      await this.refill;
    }
    return this.freeIds.shift()!;
  }

  /**
   * Applies a decision to the current state of a todo. When another writer got there
   * first the decision is made again on the fresh state, so rules like "complete
   * once" hold under concurrency. With `expectedVersion` (the client's If-Match) the
   * decision is only made on that very version. A todo of another user than `ownerId` is
   * answered as not found, before any other check, so its existence is not given away.
   */
  async update(
    todoId: number,
    ownerId: number,
    decide: (todo: TodoState) => TodoDomainEvent[],
    causation: Causation,
    expectedVersion?: number,
  ): Promise<TodoChange> {
    for (let attempt = 1; ; attempt++) {
      try {
        const stored = await this.store.readStream<TodoEvent>(this.dataSource.manager, todoStreamId(todoId));
        const state = stored.length === 0 ? undefined : rebuild(stored.map((s) => toDomainEvent(s.event)));
        if (!state || state.userId !== ownerId) throw new TodoNotFoundError(todoId);
        if (expectedVersion !== undefined && expectedVersion !== stored.length) {
          throw new TodoVersionMismatchError(todoId, expectedVersion, stored.length);
        }
        return await this.save(todoId, state, stored.length, decide(state), causation);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= CONFLICT_RETRIES) throw error;
      }
    }
  }

  private async save(
    todoId: number,
    state: TodoState,
    expectedVersion: number,
    changes: TodoDomainEvent[],
    causation: Causation,
  ): Promise<TodoChange> {
    const next = changes.reduce<TodoState>(evolve, state);
    if (!next) throw new TodoNotFoundError(todoId);
    const events = (await this.appender.append({
      streamId: todoStreamId(todoId),
      streamType: TODO_STREAM_TYPE,
      expectedVersion,
      events: changes,
      causation,
    })) as TodoEvent[];
    return { todo: next, version: expectedVersion + events.length, events };
  }
}

function toDomainEvent(event: TodoEvent): TodoDomainEvent {
  const { envelope, data } = splitEvent(event);
  return { type: envelope.event_type, version: envelope.event_version, data } as TodoDomainEvent;
}
