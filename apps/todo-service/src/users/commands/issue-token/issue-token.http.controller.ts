import { Body, Controller, Header, HttpCode, HttpStatus, Post, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessTokens, Public, TokenRateLimited } from '@todo/auth';
import { ApiErrorResponses, HTTP_API_ERRORS } from '@todo/http-api';
import { TodoServiceConfig } from '../../../config/todo-service.config';
import { decoyHash, verifyPassword } from '../../domain/password';
import { UserRepository } from '../../infrastructure/user.repository';
import { IssueTokenRequest, IssuedTokenResponse } from './issue-token.request';

const INVALID_CREDENTIALS = {
  status: HttpStatus.UNAUTHORIZED,
  code: 'AUTH.INVALID_CREDENTIALS',
  description: 'no user has this email and password (which of the two is wrong is not said)',
};

@ApiTags('users')
@Controller('auth')
export class IssueTokenHttpController {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: AccessTokens,
    private readonly config: TodoServiceConfig,
  ) {}

  @Post('token')
  @Public()
  @TokenRateLimited()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Exchange credentials for an access token',
    description:
      'Answers a short-lived bearer token (a JWT) naming the user, to send to every service. Calls are limited per client address.',
  })
  @ApiOkResponse({ type: IssuedTokenResponse, description: 'Signed in.' })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED, INVALID_CREDENTIALS)
  async issue(@Body() body: IssueTokenRequest): Promise<IssuedTokenResponse> {
    const user = await this.users.credentialsOf(body.email);
    // An unknown address is checked against a decoy hash, so it answers as slowly as a wrong password.
    const matches = await verifyPassword(body.password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !matches)
      throw new UnauthorizedException({ code: INVALID_CREDENTIALS.code, message: 'the email or the password is wrong' });
    const roles = this.config.adminEmails.has(user.email) ? (['admin'] as const) : [];
    return this.tokens.issue({ id: user.id, email: user.email, roles });
  }
}
