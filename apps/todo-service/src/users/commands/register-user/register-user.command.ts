import { Command } from '@nestjs/cqrs';
import { Causation } from '@todo/event-store';
import { User } from '../../domain/user.aggregate';

export class RegisterUserCommand extends Command<User> {
  constructor(
    readonly email: string,
    readonly name: string,
    readonly causation: Causation,
    /** Only for the demo user; otherwise the next free id is taken. */
    readonly userId?: number,
  ) {
    super();
  }
}
