import { NewEvent, USER_AGGREGATE, UserEvent, UserEventType, UserRegistered } from '@todo/events';
import { UserAlreadyExistsError } from './user.errors';

export const USER_STREAM_TYPE = USER_AGGREGATE;
export const userStreamId = (userId: number): string => `user-${userId}`;

/** The demo user the seed's walkthrough creates todos for; registered at first start. */
export const DEMO_USER_ID = 1;

export type UserDomainEvent = NewEvent<UserEvent>;

export interface User {
  id: number;
  email: string;
  name: string;
}

export type UserState = User | undefined;

export type UserCommand = { type: 'RegisterUser'; userId: number; email: string; name: string };

export function decide(command: UserCommand, state: UserState): UserDomainEvent[] {
  if (state) throw new UserAlreadyExistsError(command.userId);
  const registered: NewEvent<UserRegistered> = {
    type: UserEventType.Registered,
    version: 1,
    data: { user_id: command.userId, email: command.email.toLowerCase(), name: command.name },
  };
  return [registered];
}

export function evolve(_state: UserState, event: UserDomainEvent): UserState {
  return { id: event.data.user_id, email: event.data.email, name: event.data.name };
}
