import { Command } from '@nestjs/cqrs';
import { Causation } from '@todo/event-store';
import { User } from '../../domain/user.aggregate';

export class RegisterUserCommand extends Command<User> {
  constructor(
    readonly email: string,
    readonly name: string,
    /** In clear only until the handler hashes it; never logged, stored or published as is. */
    readonly password: string,
    readonly causation: Causation,
    /** Only for the demo user; otherwise the next free id is taken. */
    readonly userId?: number,
  ) {
    super();
  }
}
