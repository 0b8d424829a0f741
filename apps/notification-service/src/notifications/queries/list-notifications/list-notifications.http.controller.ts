import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotificationRepository } from '../../infrastructure/notification.repository';
import { ApiErrorResponses, HTTP_API_ERRORS, PageRequest } from '@todo/http-api';
import { NotificationResponse } from './notification.response';

@ApiTags('notifications')
@Controller('notifications')
export class ListNotificationsHttpController {
  constructor(private readonly notifications: NotificationRepository) {}

  @Get()
  @ApiOperation({
    summary: 'List notifications',
    description: 'The mails decided from todo.created and todo.completed, newest first, each with its delivery status.',
  })
  @ApiOkResponse({ type: [NotificationResponse], description: 'A page of mails, newest first.' })
  @ApiErrorResponses(HTTP_API_ERRORS.VALIDATION_FAILED)
  async list(@Query() request: PageRequest): Promise<NotificationResponse[]> {
    const rows = await this.notifications.list(request.limit, request.offset);
    return rows.map((row) => ({
      ...row,
      id: Number(row.id),
      created_at: row.created_at.toISOString(),
      sent_at: row.sent_at?.toISOString() ?? null,
    }));
  }
}
