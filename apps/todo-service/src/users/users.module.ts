import { Module } from '@nestjs/common';
import { DemoUserInitializer } from './commands/register-user/demo-user.initializer';
import { RegisterUserHandler } from './commands/register-user/register-user.handler';
import { RegisterUserHttpController } from './commands/register-user/register-user.http.controller';
import { IssueTokenHttpController } from './commands/issue-token/issue-token.http.controller';
import { TodoOwners } from '../todos/commands/create-todo/todo-owners';
import { UserRepository } from './infrastructure/user.repository';
import { CommandRunner } from '../infrastructure/cqrs/command-runner';

const controllers = [RegisterUserHttpController, IssueTokenHttpController];
const commandHandlers = [RegisterUserHandler];
const repositories = [UserRepository];

@Module({
  controllers,
  providers: [
    ...commandHandlers,
    ...repositories,
    CommandRunner,
    DemoUserInitializer,
    { provide: TodoOwners, useExisting: UserRepository },
  ],
  exports: [TodoOwners],
})
export class UsersModule {}
