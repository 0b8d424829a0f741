import { ApiProperty } from '@nestjs/swagger';
import { ORDER_CANCEL_REASONS, TODO_PRIORITIES } from '@todo/events';

const rateOptions = { type: 'number', minimum: 0, maximum: 1, description: 'completed / live todos, 0 when there are none' } as const;

export class UserSummary {
  @ApiProperty({ type: 'integer' }) user_id: number;
  @ApiProperty({ type: 'integer', description: 'Todos ever created' }) todos_created: number;
  @ApiProperty({ type: 'integer', description: 'Live (not deleted) todos that are completed now' }) todos_completed: number;
  @ApiProperty(rateOptions) completion_rate: number;
}

export class OrderSummary {
  @ApiProperty({ type: 'integer', description: 'Orders placed (order.created)' }) placed: number;
  @ApiProperty({ type: 'integer', description: 'Orders whose saga has not ended yet' }) pending: number;
  @ApiProperty({ type: 'integer' }) confirmed: number;
  @ApiProperty({ type: 'integer' }) cancelled: number;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(ORDER_CANCEL_REASONS.map((r) => [r, { type: 'integer' }])),
    required: [...ORDER_CANCEL_REASONS],
    example: { out_of_stock: 1, timeout: 0, user_cancelled: 0 },
    description: 'Cancelled orders by reason',
  })
  cancelled_by_reason: Record<string, number>;
  @ApiProperty({ type: 'number', nullable: true, description: 'Mean seconds from placement to outcome; null before any outcome' })
  mean_time_to_outcome_seconds: number | null;
}

export class AnalyticsSummary {
  @ApiProperty({ type: 'integer', description: 'Todos ever created' }) todos_created: number;
  @ApiProperty({ type: 'integer', description: 'Live (not deleted) todos that are completed now; a reopen takes one off' })
  todos_completed: number;
  @ApiProperty({ type: 'integer', description: 'Todos deleted' }) todos_deleted: number;
  @ApiProperty(rateOptions) completion_rate: number;
  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'Mean seconds from todo.created to the latest todo.completed, over completed live todos; null when there are none',
  })
  mean_time_to_complete_seconds: number | null;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(TODO_PRIORITIES.map((p) => [p, { type: 'integer' }])),
    required: [...TODO_PRIORITIES],
    example: { low: 0, medium: 1, high: 0 },
    description: 'Live todos by their current priority',
  })
  by_priority: Record<string, number>;
  @ApiProperty({ type: [UserSummary], description: 'One entry per user who has todos, by user_id' }) by_user: UserSummary[];
  @ApiProperty({ type: 'integer', description: 'todo.priority_changed events seen' }) priority_changes: number;
  @ApiProperty({ type: 'integer', description: 'todo.completed events seen, a todo completed again after a reopen counting twice' })
  completions: number;
  @ApiProperty({ type: 'integer', description: 'todo.reopened events seen' }) reopens: number;
  @ApiProperty({ type: OrderSummary, description: 'Orders by outcome' }) orders: OrderSummary;
}
