import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { UserSummary } from '../get-summary/analytics-summary';
import { userSummaries } from '../user-summaries';
import { GetMySummaryQuery } from './get-my-summary.query';

/** One user's figures; zeros for a user none of whose todo events has arrived yet. */
@QueryHandler(GetMySummaryQuery)
export class GetMySummaryHandler implements IQueryHandler<GetMySummaryQuery, UserSummary> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ userId }: GetMySummaryQuery): Promise<UserSummary> {
    const [mine] = await userSummaries(this.dataSource, userId);
    return mine ?? { user_id: userId, todos_created: 0, todos_completed: 0, completion_rate: 0 };
  }
}
