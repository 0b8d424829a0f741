import { randomUUID } from 'node:crypto';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ConcurrencyError } from '@todo/event-store';
import { Correlation } from '@todo/observability';
import { TodoServiceConfig } from '../../../config/todo-service.config';
import { DEMO_USER_ID } from '../../domain/user.aggregate';
import { UserAlreadyExistsError } from '../../domain/user.errors';
import { UserRepository } from '../../infrastructure/user.repository';
import { RegisterUserCommand } from './register-user.command';

/**
 * Registers the demo user (id 1) on first start when DEMO_USER_PASSWORD is set, so a
 * walkthrough or a test has a user to sign in as. Instances starting together race
 * safely: the stream's version constraint lets one win.
 */
@Injectable()
export class DemoUserInitializer implements OnApplicationBootstrap {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly users: UserRepository,
    private readonly config: TodoServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const password = this.config.DEMO_USER_PASSWORD;
    if (password === undefined || (await this.users.exists(DEMO_USER_ID))) return;
    const requestId = `startup-${randomUUID()}`;
    const scope = { correlationId: requestId, causationId: requestId };
    try {
      await Correlation.run(scope, () =>
        this.commandBus.execute(
          new RegisterUserCommand(this.config.DEMO_USER_EMAIL, this.config.DEMO_USER_NAME, password, scope, DEMO_USER_ID),
        ),
      );
    } catch (error) {
      if (!(error instanceof UserAlreadyExistsError) && !(error instanceof ConcurrencyError)) {
        throw error;
      }
    }
  }
}
