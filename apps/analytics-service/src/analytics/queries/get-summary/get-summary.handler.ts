import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ORDER_CANCEL_REASONS, TODO_PRIORITIES, TodoEventType } from '@todo/events';
import { DataSource } from 'typeorm';
import { completionRate, userSummaries } from '../user-summaries';
import { AnalyticsSummary, OrderSummary } from './analytics-summary';
import { GetSummaryQuery } from './get-summary.query';

/** The figures, computed from `todo_facts` and `todo_changes` as the projection left them. */
@QueryHandler(GetSummaryQuery)
export class GetSummaryHandler implements IQueryHandler<GetSummaryQuery, AnalyticsSummary> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(): Promise<AnalyticsSummary> {
    const [totals] = await this.dataSource.query(
      `SELECT count(created_at)::int AS created,
              count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS deleted,
              count(*) FILTER (WHERE deleted_at IS NULL AND created_at IS NOT NULL)::int AS live,
              count(*) FILTER (WHERE deleted_at IS NULL AND completed_at IS NOT NULL)::int AS completed,
              avg(extract(epoch FROM completed_at - created_at))
                FILTER (WHERE deleted_at IS NULL AND completed_at IS NOT NULL AND created_at IS NOT NULL)::float8 AS mean_seconds
         FROM todo_facts`,
    );
    const changes: { event_type: string; count: number }[] = await this.dataSource.query(
      `SELECT event_type, count(*)::int AS count FROM todo_changes GROUP BY event_type`,
    );
    const changeCount = (type: string) => changes.find((c) => c.event_type === type)?.count ?? 0;
    const priorities: { priority: string; count: number }[] = await this.dataSource.query(
      `SELECT priority, count(*)::int AS count FROM todo_facts WHERE priority IS NOT NULL AND deleted_at IS NULL GROUP BY priority`,
    );
    const byPriority = Object.fromEntries(TODO_PRIORITIES.map((p) => [p, 0]));
    for (const row of priorities) byPriority[row.priority] = row.count;
    return {
      todos_created: totals.created,
      todos_completed: totals.completed,
      todos_deleted: totals.deleted,
      completion_rate: completionRate(totals.completed, totals.live),
      mean_time_to_complete_seconds: totals.mean_seconds,
      by_priority: byPriority,
      by_user: await userSummaries(this.dataSource),
      priority_changes: changeCount(TodoEventType.PriorityChanged),
      completions: changeCount(TodoEventType.Completed),
      reopens: changeCount(TodoEventType.Reopened),
      orders: await this.orders(),
    };
  }

  private async orders(): Promise<OrderSummary> {
    const [totals] = await this.dataSource.query(
      `SELECT count(placed_at)::int AS placed,
              count(*) FILTER (WHERE outcome = 'pending')::int AS pending,
              count(*) FILTER (WHERE outcome = 'confirmed')::int AS confirmed,
              count(*) FILTER (WHERE outcome = 'cancelled')::int AS cancelled,
              avg(extract(epoch FROM ended_at - placed_at)) FILTER (WHERE ended_at IS NOT NULL AND placed_at IS NOT NULL)::float8 AS mean_seconds
         FROM order_facts`,
    );
    const reasons: { reason: string; count: number }[] = await this.dataSource.query(
      `SELECT reason, count(*)::int AS count FROM order_facts WHERE outcome = 'cancelled' GROUP BY reason`,
    );
    const byReason = Object.fromEntries(ORDER_CANCEL_REASONS.map((r) => [r, 0]));
    for (const row of reasons) if (row.reason in byReason) byReason[row.reason] = row.count;
    return {
      placed: totals.placed,
      pending: totals.pending,
      confirmed: totals.confirmed,
      cancelled: totals.cancelled,
      cancelled_by_reason: byReason,
      mean_time_to_outcome_seconds: totals.mean_seconds,
    };
  }
}
