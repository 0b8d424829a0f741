import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@todo/auth';
import { ApiErrorResponses, HTTP_API_ERRORS } from '@todo/http-api';
import { Correlation } from '@todo/observability';
import { TODO_SERVICE_ERRORS } from '../../../infrastructure/http/todo-service.api-errors';
import { RegisterUserCommand } from './register-user.command';
import { RegisterUserRequest, UserResponse } from './register-user.request';
import { CommandRunner } from '../../../infrastructure/cqrs/command-runner';

@ApiTags('users')
@Controller('users')
export class RegisterUserHttpController {
  constructor(private readonly commands: CommandRunner) {}

  @Post()
  @Public()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register a user',
    description:
      'Registers a user under the next free id, with a password to ask POST /auth/token for an access token, and emits ' +
      'user.registered, from which the notification service learns the address (the password never leaves this service).',
  })
  @ApiCreatedResponse({ type: UserResponse, description: 'Registered; user.registered is on its way to the consumers.' })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED, HTTP_API_ERRORS.INVALID_VALUE, TODO_SERVICE_ERRORS['USER.EMAIL_TAKEN'])
  register(@Body() body: RegisterUserRequest): Promise<UserResponse> {
    return this.commands.execute(new RegisterUserCommand(body.email, body.name, body.password, Correlation.require()));
  }
}
