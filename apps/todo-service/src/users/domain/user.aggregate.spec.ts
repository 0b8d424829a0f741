import { UserEventType } from '@todo/events';
import { UserCommand, decide, evolve } from './user.aggregate';
import { UserAlreadyExistsError } from './user.errors';

const register: UserCommand = { type: 'RegisterUser', userId: 4, email: 'Ada.Lovelace@Example.COM', name: 'Ada' };

describe('User aggregate', () => {
  it('emits user.registered with the email lower-cased when the user does not exist yet', () => {
    expect(decide(register, undefined)).toEqual([
      {
        type: UserEventType.Registered,
        version: 1,
        data: { user_id: 4, email: 'ada.lovelace@example.com', name: 'Ada' },
      },
    ]);
  });

  it('refuses to register a user that already exists', () => {
    const [registered] = decide(register, undefined);
    const existing = evolve(undefined, registered);

    const attempt = () => decide(register, existing);

    expect(attempt).toThrow(UserAlreadyExistsError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'USER.ALREADY_EXISTS' }));
  });

  it('builds the user from user.registered', () => {
    const [registered] = decide(register, undefined);

    expect(evolve(undefined, registered)).toEqual({ id: 4, email: 'ada.lovelace@example.com', name: 'Ada' });
  });
});
