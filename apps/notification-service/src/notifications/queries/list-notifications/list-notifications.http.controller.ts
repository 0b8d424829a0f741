import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NotificationRepository } from '../../infrastructure/notification.repository';
import { PageRequest } from '@todo/http-api';

@ApiTags('notifications')
@Controller('notifications')
export class ListNotificationsHttpController {
  constructor(private readonly notifications: NotificationRepository) {}

  @Get()
  @ApiOkResponse({ description: 'Mails decided, newest first, with their delivery status (pending, sent, failed).' })
  async list(@Query() request: PageRequest) {
    const rows = await this.notifications.list(request.limit, request.offset);
    return rows.map((row) => ({
      ...row,
      id: Number(row.id),
      created_at: row.created_at.toISOString(),
      sent_at: row.sent_at?.toISOString() ?? null,
    }));
  }
}
