import { EventEnvelope } from './envelope';

export const USER_AGGREGATE = 'user';

export const UserEventType = {
  Registered: 'user.registered',
} as const;

export type UserRegistered = EventEnvelope<typeof UserEventType.Registered, 1> & {
  user_id: number;
  email: string;
  name: string;
};

export type UserEvent = UserRegistered;
