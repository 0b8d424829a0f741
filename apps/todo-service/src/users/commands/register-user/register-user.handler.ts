import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { hashPassword } from '../../domain/password';
import { User, decide } from '../../domain/user.aggregate';
import { UserRepository } from '../../infrastructure/user.repository';
import { RegisterUserCommand } from './register-user.command';

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand, User> {
  constructor(private readonly users: UserRepository) {}

  async execute(command: RegisterUserCommand): Promise<User> {
    // Hashed before the transaction: scrypt's tens of milliseconds hold no connection.
    const passwordHash = await hashPassword(command.password);
    return this.users.register(
      command.userId,
      (userId, state) => decide({ type: 'RegisterUser', userId, email: command.email, name: command.name }, state),
      command.causation,
      passwordHash,
    );
  }
}
