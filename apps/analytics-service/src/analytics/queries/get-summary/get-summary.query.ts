import { Query } from '@nestjs/cqrs';
import { AnalyticsSummary } from './analytics-summary';

export class GetSummaryQuery extends Query<AnalyticsSummary> {}
