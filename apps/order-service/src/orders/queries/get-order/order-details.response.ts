import { ApiProperty } from '@nestjs/swagger';
import { OrderViewResponse } from '../order-view.response';

export class SagaStepResponse {
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ enum: ['started', 'command', 'reply', 'timeout', 'compensation', 'outcome', 'ignored'] }) kind: string;
  @ApiProperty({ example: 'inventory.reserve', description: 'The step: a command sent, a reply taken, the outcome.' }) name: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the step carried (short lines, a reason).' })
  detail: Record<string, unknown>;
  @ApiProperty() correlation_id: string;
  @ApiProperty({ nullable: true, description: 'The trace the step ran in, when tracing is on.' }) trace_id: string | null;
}

export class SagaResponse {
  @ApiProperty({ enum: ['reserving', 'confirmed', 'cancelled'] }) state: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'While reserving: when the wait for inventory ends.' })
  deadline_at: string | null;
  @ApiProperty({ type: [SagaStepResponse], description: 'Every step, command, reply, timeout and compensation, in order.' })
  history: SagaStepResponse[];
}

export class OrderDetailsResponse extends OrderViewResponse {
  @ApiProperty({ type: SagaResponse, nullable: true, description: 'The saga of the order; null until order.created reached it.' })
  saga: SagaResponse | null;
}
