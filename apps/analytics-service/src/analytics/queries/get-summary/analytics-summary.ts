import { ApiProperty } from '@nestjs/swagger';

export class UserSummary {
  @ApiProperty() user_id: number;
  @ApiProperty() todos_created: number;
  @ApiProperty() todos_completed: number;
  @ApiProperty({ description: 'completed / created, 0 when nothing was created' }) completion_rate: number;
}

export class AnalyticsSummary {
  @ApiProperty() todos_created: number;
  @ApiProperty() todos_completed: number;
  @ApiProperty({ description: 'completed / created, 0 when nothing was created' }) completion_rate: number;
  @ApiProperty({ nullable: true, description: 'Mean seconds from todo.created to todo.completed' })
  mean_time_to_complete_seconds: number | null;
  @ApiProperty({ example: { low: 0, medium: 1, high: 0 }, description: 'Todos by their current priority' })
  by_priority: Record<string, number>;
  @ApiProperty({ type: [UserSummary] }) by_user: UserSummary[];
  @ApiProperty() priority_changes: number;
}
