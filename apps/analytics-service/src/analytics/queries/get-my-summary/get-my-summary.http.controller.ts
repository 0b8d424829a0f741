import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser } from '@todo/auth';
import { UserSummary } from '../get-summary/analytics-summary';
import { GetMySummaryQuery } from './get-my-summary.query';

@ApiTags('analytics')
@Controller('analytics')
export class GetMySummaryHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('me')
  @ApiOperation({
    summary: "The caller's own figures",
    description: 'Todos created and completed, and the completion rate, of the caller.',
  })
  @ApiOkResponse({ type: UserSummary, description: 'The figures as of the events consumed so far.' })
  mine(@CurrentUser() user: AuthenticatedUser): Promise<UserSummary> {
    return this.queryBus.execute(new GetMySummaryQuery(user.id));
  }
}
