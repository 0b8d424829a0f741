import { EventEnvelope } from './envelope';
import { MessageDescription } from './message-contracts';

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

/** What each user event means, who receives it and why. The AsyncAPI document shows it. */
export const USER_EVENT_DESCRIPTIONS: Readonly<Record<UserEvent['event_type'], MessageDescription>> = {
  [UserEventType.Registered]: {
    summary: 'A user registered.',
    description:
      'Someone registered (POST /users), or todo-service registered the demo user at its first start: the user id, the ' +
      'address (in lower case) and the name; the password never leaves todo-service. notification-service keeps the ' +
      'address: it is the only way it learns where to mail a user about their todos and orders.',
  },
};
