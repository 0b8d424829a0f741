import { Injectable } from '@nestjs/common';
import { Causation, EventStore } from '@todo/event-store';
import { isUniqueViolation } from '@todo/database';
import { UserRegistered } from '@todo/events';
import { DataSource } from 'typeorm';
import { USER_STREAM_TYPE, User, UserDomainEvent, UserState, evolve, userStreamId } from '../domain/user.aggregate';
import { UserAlreadyExistsError, UserEmailTakenError } from '../domain/user.errors';
import { TodoOwners } from '../../todos/commands/create-todo/todo-owners';

const KNOWN_USERS_KEPT = 10_000;

/** Users are event-sourced like todos; the `users` table is their view, kept in the same transaction. */
@Injectable()
export class UserRepository implements TodoOwners {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
  ) {}

  /** Users are never removed, so a user once seen stays known: creating a todo skips the lookup. */
  private readonly known = new Set<number>();

  async exists(userId: number): Promise<boolean> {
    if (this.known.has(userId)) return true;
    const rows = await this.dataSource.query(`SELECT 1 FROM users WHERE id = $1`, [userId]);
    if (rows.length === 0) return false;
    if (this.known.size >= KNOWN_USERS_KEPT) this.known.clear();
    this.known.add(userId);
    return true;
  }

  async credentialsOf(email: string): Promise<UserCredentials | undefined> {
    const rows: { id: number; email: string; name: string; password_hash: string }[] = await this.dataSource.query(
      `SELECT u.id, u.email, u.name, c.password_hash FROM users u JOIN user_credentials c ON c.user_id = u.id WHERE u.email = $1`,
      [email.toLowerCase()],
    );
    const [row] = rows;
    return row && { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash };
  }

  /** Registers a user under `userId`, or under the next free id when it is omitted, with their password's hash. */
  async register(
    userId: number | undefined,
    decide: (userId: number, state: UserState) => UserDomainEvent[],
    causation: Causation,
    passwordHash: string,
  ): Promise<User> {
    return this.dataSource.transaction(async (tx) => {
      const id: number = userId ?? (await tx.query(`SELECT nextval('user_ids')::int AS id`))[0].id;
      const stored = await this.store.readStream<UserRegistered>(tx, userStreamId(id));
      const state = stored.length > 0 ? evolve(undefined, toDomain(stored[0].event)) : undefined;
      const changes = decide(id, state);
      const registered = changes[0].data;
      // The view first: a taken email fails here, before the append takes the position lock.
      try {
        await tx.query(`INSERT INTO users (id, email, name, registered_at) VALUES ($1, $2, $3, now())`, [
          registered.user_id,
          registered.email,
          registered.name,
        ]);
      } catch (error) {
        if (isUniqueViolation(error, 'users_email_key')) throw new UserEmailTakenError(registered.email);
        if (isUniqueViolation(error, 'users_pkey')) throw new UserAlreadyExistsError(id);
        throw error;
      }
      await tx.query(`INSERT INTO user_credentials (user_id, password_hash, updated_at) VALUES ($1, $2, now())`, [
        registered.user_id,
        passwordHash,
      ]);
      const [event] = (await this.store.append(tx, {
        streamId: userStreamId(id),
        streamType: USER_STREAM_TYPE,
        expectedVersion: stored.length,
        events: changes,
        causation,
      })) as UserRegistered[];
      return { id: event.user_id, email: event.email, name: event.name };
    });
  }
}

/** A registered user with the hash their password is checked against. */
export interface UserCredentials extends User {
  passwordHash: string;
}

function toDomain(event: UserRegistered): UserDomainEvent {
  return { type: event.event_type, version: event.event_version, data: { user_id: event.user_id, email: event.email, name: event.name } };
}
