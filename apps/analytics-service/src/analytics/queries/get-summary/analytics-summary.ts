import { ApiProperty } from '@nestjs/swagger';

export class UserSummary {
  @ApiProperty() user_id: number;
  @ApiProperty({ description: 'Todos ever created' }) todos_created: number;
  @ApiProperty({ description: 'Live (not deleted) todos that are completed now' }) todos_completed: number;
  @ApiProperty({ description: 'completed / live todos, 0 when there are none' }) completion_rate: number;
}

export class AnalyticsSummary {
  @ApiProperty({ description: 'Todos ever created' }) todos_created: number;
  @ApiProperty({ description: 'Live (not deleted) todos that are completed now; a reopen takes one off' }) todos_completed: number;
  @ApiProperty({ description: 'Todos deleted' }) todos_deleted: number;
  @ApiProperty({ description: 'completed / live todos, 0 when there are none' }) completion_rate: number;
  @ApiProperty({ nullable: true, description: 'Mean seconds from todo.created to the latest todo.completed, over completed live todos' })
  mean_time_to_complete_seconds: number | null;
  @ApiProperty({ example: { low: 0, medium: 1, high: 0 }, description: 'Live todos by their current priority' })
  by_priority: Record<string, number>;
  @ApiProperty({ type: [UserSummary] }) by_user: UserSummary[];
  @ApiProperty() priority_changes: number;
  @ApiProperty() completions: number;
  @ApiProperty() reopens: number;
}
