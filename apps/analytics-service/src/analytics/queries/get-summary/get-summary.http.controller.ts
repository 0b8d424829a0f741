import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import { RequireRole } from '@todo/auth';
import { AnalyticsSummary } from './analytics-summary';
import { GetSummaryQuery } from './get-summary.query';

@ApiTags('analytics')
@Controller('analytics')
export class GetSummaryHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('summary')
  @RequireRole('admin')
  @ApiOperation({
    summary: 'Summary of all todos and orders (admin)',
    description:
      'Counts, completion rates and the mean time to complete, overall and per user, as folded from the todo and order events so far: ' +
      'the platform-wide view, for the admin role only (a user reads their own at GET /analytics/me).',
  })
  @ApiOkResponse({ type: AnalyticsSummary, description: 'The figures as of the events consumed so far.' })
  summary(): Promise<AnalyticsSummary> {
    return this.queryBus.execute(new GetSummaryQuery());
  }
}
