import { ApiProperty } from '@nestjs/swagger';

/** A mail the service decided to send, and how its delivery went. */
export class NotificationResponse {
  @ApiProperty({ type: 'integer', example: 1 }) id: number;
  @ApiProperty({ format: 'uuid', description: 'The event the mail is about; one mail per event.' }) event_id: string;
  @ApiProperty({ example: 'todo.completed' }) event_type: string;
  @ApiProperty({ description: "The event's correlation id: the request that started the flow." }) correlation_id: string;
  @ApiProperty({ type: 'integer', example: 1 }) user_id: number;
  @ApiProperty({ format: 'email', example: 'demo@example.com' }) recipient: string;
  @ApiProperty() subject: string;
  @ApiProperty() body: string;
  @ApiProperty({ description: 'The Message-ID header, stable per event.', example: '<0f6a4c1f@todo-platform.local>' }) message_id: string;

  @ApiProperty({
    enum: ['pending', 'sending', 'sent', 'failed'],
    description: '`sending` while a sender holds it; `failed` once the attempts are used up.',
  })
  status: 'pending' | 'sending' | 'sent' | 'failed';

  @ApiProperty({ type: 'integer', description: 'Delivery attempts so far.' }) attempts: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed; null after a success.' }) last_error:
    string | null;
  @ApiProperty({ type: String, format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sent_at: string | null;
}
