import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Correlation } from '@todo/observability';
import { RegisterUserCommand } from './register-user.command';
import { RegisterUserRequest, UserResponse } from './register-user.request';
import { executeCommand } from '../../../infrastructure/cqrs/execute-command';

@ApiTags('users')
@Controller('users')
export class RegisterUserHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: UserResponse, description: 'Registered; user.registered is on its way to the consumers.' })
  @ApiConflictResponse({ description: 'USER.EMAIL_TAKEN' })
  register(@Body() body: RegisterUserRequest): Promise<UserResponse> {
    return executeCommand(this.commandBus, new RegisterUserCommand(body.email, body.name, Correlation.require()));
  }
}
