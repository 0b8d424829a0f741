import { Query } from '@nestjs/cqrs';
import { UserSummary } from '../get-summary/analytics-summary';

export class GetMySummaryQuery extends Query<UserSummary> {
  constructor(readonly userId: number) {
    super();
  }
}
