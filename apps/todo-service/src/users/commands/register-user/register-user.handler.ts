import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { User, decide } from '../../domain/user.aggregate';
import { UserRepository } from '../../infrastructure/user.repository';
import { RegisterUserCommand } from './register-user.command';

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand, User> {
  constructor(private readonly users: UserRepository) {}

  execute(command: RegisterUserCommand): Promise<User> {
    return this.users.register(
      command.userId,
      (userId, state) => decide({ type: 'RegisterUser', userId, email: command.email, name: command.name }, state),
      command.causation,
    );
  }
}
