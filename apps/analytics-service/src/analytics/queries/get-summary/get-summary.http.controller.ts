import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import { AnalyticsSummary } from './analytics-summary';
import { GetSummaryQuery } from './get-summary.query';

@ApiTags('analytics')
@Controller('analytics')
export class GetSummaryHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('summary')
  @ApiOperation({
    summary: 'Summary of all todos',
    description: 'Counts, completion rates and the mean time to complete, overall and per user, as folded from the todo events so far.',
  })
  @ApiOkResponse({ type: AnalyticsSummary, description: 'The figures as of the events consumed so far.' })
  summary(): Promise<AnalyticsSummary> {
    return this.queryBus.execute(new GetSummaryQuery());
  }
}
